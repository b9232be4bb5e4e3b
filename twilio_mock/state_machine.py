"""A model-checking hypothesis state machine for a Twilio list resource, driven through an SDK.

Needs ``hypothesis`` (``pip install hypothesis``; the toolkit's ``dev`` extra has it).

Each run gets a fresh :class:`~twilio_mock.Backend` and a client of either SDK bound to it
(``sdk = "twilio_sdk"``: ours through :class:`~twilio_mock.MockTransport`; ``sdk = "twilio"``:
the official package through :func:`twilio_mock.mock`; or override :meth:`make_client`). The
machine keeps a model (the SIDs it created, in order, and the fields each should show) and runs
rules: create, a create it must refuse (the Twilio error code, and no record left), fetch,
update, delete, fetch a deleted record (a 404), ``list`` and ``stream`` with any ``limit`` /
``page_size`` and ``page()`` / ``next_page()`` (exactly the model's records, in Twilio's order:
newest first for 2010-04-01 lists, oldest first elsewhere), and clock advances. Every answer is
checked: the model's fields, ``date_created`` never changing, ``date_updated`` never going
back, and (with :attr:`stages`) the status only moving forward.

Subclass it for a resource: set :attr:`path` (attributes from the client to the list, e.g.
``"verify.v2.services"``) and :attr:`newest_first`, and override :meth:`create_params` (and
:meth:`update_params`, :meth:`expected` or :meth:`can_delete` as needed); then
``TestMine = MyMachine.TestCase``. To test your own app, add rules that call it with
``self.client`` and tell the model what it made with :meth:`remember`.
"""

from __future__ import annotations

from typing import Any, ClassVar

try:
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "twilio_mock.state_machine needs hypothesis: pip install hypothesis (or the toolkit's dev extra)"
    ) from exc

from twilio_mock.backend import Backend

Draw = Any  # hypothesis' ``data().draw``
Params = dict[str, Any]

#: Printable text for names and bodies (no surrogates, no control characters), never blank.
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda s: bool(s.strip())
)


def error_of(exc: BaseException) -> tuple[int, int] | None:
    """(HTTP status, Twilio code) of either SDK's REST error, or None for anything else."""
    status, code = getattr(exc, "status", None), getattr(exc, "code", None)
    if isinstance(status, int) and isinstance(code, int):
        return status, code
    return None


def field_of(record: Any, name: str) -> Any:
    """``record.<name>``; for ``from_`` also the official package's ``_from`` (its CallInstance)."""
    if not hasattr(record, name) and name.endswith("_"):
        return getattr(record, "_" + name[:-1])
    return getattr(record, name)


class TwilioStateMachine(RuleBasedStateMachine):
    """Create/fetch/update/delete/list/advance against the mock, checked against a model."""

    #: Attribute path from the client to the list resource.
    path: ClassVar[str] = "messages"
    #: 2010-04-01 lists are newest first; v1/v2/v3 lists oldest first.
    newest_first: ClassVar[bool] = True
    #: Which SDK :meth:`make_client` builds: ``"twilio_sdk"`` (ours) or ``"twilio"`` (official).
    sdk: ClassVar[str] = "twilio_sdk"
    #: The most records a run creates (keeps each run's lists short).
    max_records: ClassVar[int] = 8
    #: ``Backend`` seed of each run.
    seed: ClassVar[int] = 1
    #: The resource's lifecycle: status -> stage. When set, every status seen must be here and a
    #: record's status only moves to a later stage (or stays), checked on every answer.
    stages: ClassVar[dict[str, int]] = {}

    def __init__(self) -> None:
        super().__init__()
        self.model: dict[str, Params] = {}  # sid -> fields it should show, in creation order
        self.deleted: list[str] = []
        self.created: dict[str, Any] = {}  # sid -> date_created as created (never changes)
        self.updated: dict[str, Any] = {}  # sid -> the latest date_updated seen (never goes back)
        self.status: dict[str, str] = {}  # sid -> the latest status seen (see :attr:`stages`)
        self._closers: list[Any] = []

    # -- hooks -------------------------------------------------------------------------------

    def make_backend(self) -> Backend:
        return Backend(seed=self.seed)

    def make_client(self, backend: Backend) -> Any:
        """A client bound to ``backend`` (per :attr:`sdk`)."""
        if self.sdk == "twilio":
            from twilio.rest import Client as OfficialClient

            from twilio_mock.ways_in.interceptor import mock

            active = mock(backend=backend)
            active.start()
            self._closers.append(active.stop)
            return OfficialClient(backend.account_sid, backend.auth_token)
        if self.sdk != "twilio_sdk":
            raise ValueError(f"sdk must be 'twilio_sdk' or 'twilio', not {self.sdk!r}")
        from twilio_mock.ways_in.transport import MockTransport
        from twilio_sdk import Client

        return Client(
            backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
        )

    def create_params(self, draw: Draw) -> Params:
        """Keyword arguments for one ``create`` (draw values with ``draw(strategy)``)."""
        raise NotImplementedError("subclasses say how to create a record")

    def update_params(self, draw: Draw, current: Any) -> Params | None:
        """Keyword arguments for one ``update`` of ``current`` (the record as fetched just
        before), or None when it cannot be updated now."""
        return None

    def expected(self, params: Params) -> Params:
        """The fields a record created (or updated) with ``params`` shows: ``params`` itself by
        default, with SDK argument names (``from_``) as the record's attribute names."""
        return dict(params)

    def invalid_create(self, draw: Draw) -> tuple[Params, int] | None:
        """Keyword arguments ``create`` must refuse, and the Twilio error code it answers with;
        None (the default) leaves the rule out."""
        return None

    def can_delete(self, current: Any) -> bool:
        """Whether ``current`` (as fetched just before) may be deleted now."""
        return True

    # -- helpers -----------------------------------------------------------------------------

    def resource(self) -> Any:
        found = self.client
        for name in self.path.split("."):
            found = getattr(found, name)
        return found

    def check(self, record: Any, sid: str) -> None:
        assert record.sid == sid, (record.sid, sid)
        if sid in self.created:
            assert record.date_created == self.created[sid], (sid, record.date_created, self.created[sid])
        updated = getattr(record, "date_updated", None)
        if updated is not None:
            assert record.date_created is None or updated >= record.date_created, (sid, updated)
            assert updated >= self.updated.get(sid, updated), (sid, updated, self.updated[sid])
            self.updated[sid] = updated
        if self.stages:
            status = str(record.status)
            assert status in self.stages, f"{sid}: unknown status {status!r}"
            last = self.status.get(sid, status)
            assert status == last or self.stages[status] > self.stages[last], f"{sid}: {last} -> {status}"
            self.status[sid] = status
        for field, value in self.model[sid].items():
            got = field_of(record, field)
            assert got == value, f"{sid}.{field}: {got!r} != {value!r}"

    def remember(self, record: Any, fields: Params) -> None:
        """Add ``record`` (just created, by the machine or by your app's code in a rule of your
        own) to the model, with the ``fields`` it should show from now on."""
        assert record.sid not in self.model and record.sid not in self.deleted, record.sid
        self.model[record.sid] = dict(fields)
        self.check(record, record.sid)
        self.created[record.sid] = record.date_created

    def order(self) -> list[str]:
        sids = list(self.model)
        return sids[::-1] if self.newest_first else sids

    def teardown(self) -> None:
        for close in reversed(self._closers):
            close()
        self._closers.clear()

    # -- rules -------------------------------------------------------------------------------

    @initialize()
    def start(self) -> None:
        self.backend = self.make_backend()
        self.client = self.make_client(self.backend)

    @precondition(lambda self: len(self.model) < self.max_records)
    @rule(data=st.data())
    def create(self, data: st.DataObject) -> None:
        params = self.create_params(data.draw)
        self.remember(self.resource().create(**params), self.expected(params))

    @rule(data=st.data())
    def create_invalid(self, data: st.DataObject) -> None:
        case = self.invalid_create(data.draw)
        if case is None:
            return
        params, code = case
        try:
            record = self.resource().create(**params)
        except Exception as exc:
            found = error_of(exc)
            if found is None:
                raise
            assert 400 <= found[0] < 500 and found[1] == code, (params, found, code)
        else:
            raise AssertionError(f"create({params!r}) was accepted: {record.sid}")
        assert [r.sid for r in self.resource().list()] == self.order(), "a refused create left a record"

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def fetch(self, data: st.DataObject) -> None:
        sid = data.draw(st.sampled_from(list(self.model)), label="sid")
        self.check(self.resource()(sid).fetch(), sid)

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def update(self, data: st.DataObject) -> None:
        sid = data.draw(st.sampled_from(list(self.model)), label="sid")
        current = self.resource()(sid).fetch()
        params = self.update_params(data.draw, current)
        if params is None:
            return
        record = self.resource()(sid).update(**params)
        self.model[sid] = {**self.model[sid], **self.expected(params)}
        self.check(record, sid)

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        sid = data.draw(st.sampled_from(list(self.model)), label="sid")
        if not self.can_delete(self.resource()(sid).fetch()):
            return
        assert self.resource()(sid).delete() is True
        del self.model[sid], self.created[sid]
        self.deleted.append(sid)

    @precondition(lambda self: bool(self.deleted))
    @rule(data=st.data())
    def fetch_deleted(self, data: st.DataObject) -> None:
        sid = data.draw(st.sampled_from(self.deleted), label="sid")
        try:
            self.resource()(sid).fetch()
        except Exception as exc:
            if error_of(exc) != (404, 20404):
                raise
        else:
            raise AssertionError(f"{sid} was deleted but can still be fetched")

    @rule(
        limit=st.none() | st.integers(1, 12),
        page_size=st.none() | st.integers(1, 6),
        stream=st.booleans(),
    )
    def list_all(self, limit: int | None, page_size: int | None, stream: bool) -> None:
        kwargs = {k: v for k, v in (("limit", limit), ("page_size", page_size)) if v is not None}
        read = self.resource().stream if stream else self.resource().list
        got = list(read(**kwargs))
        want = self.order()[:limit] if limit is not None else self.order()
        assert [r.sid for r in got] == want, f"listed {[r.sid for r in got]}, the model has {want}"
        for record in got:
            self.check(record, record.sid)

    @rule(page_size=st.integers(1, 6))
    def pages(self, page_size: int) -> None:
        """``page()`` then ``next_page()`` until there is none: every record once, in order."""
        got: list[Any] = []
        page = self.resource().page(page_size=page_size)
        while page is not None:
            records = list(page)
            assert len(records) <= page_size, (len(records), page_size)
            got.extend(records)
            page = page.next_page()
        want = self.order()
        assert [r.sid for r in got] == want, f"listed {[r.sid for r in got]}, the model has {want}"
        for record in got:
            self.check(record, record.sid)

    @rule(seconds=st.sampled_from([0, 1, 5, 30, 600, 3600]))
    def advance(self, seconds: int) -> None:
        self.backend.advance(seconds)
