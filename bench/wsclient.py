"""A light Streamlit client for load tests: the browser's websocket protocol, without a browser.

It opens ``/_stcore/stream`` the way the streamlit 1.67 frontend does (subprotocols ``streamlit``
plus the placeholder XSRF token, a same-origin ``Origin`` header), sends ``rerun_script`` BackMsgs
and reads ForwardMsgs until the run's final ``script_finished``. Between runs it keeps what the
frontend keeps: every widget's last value (seeded from the widget's proto, as a widget does when
it mounts, and overwritten by the server's ``set_value``), the URL query string (a widget bound
with ``bind="query-params"`` writes its value there, or removes it when the value is the
default), the page script hash from ``navigation``, and the ForwardMsg cache whose hashes let the
server send a ``ref_hash`` stub instead of a large unchanged element. It renders nothing and runs
no component JavaScript, so no component ever sends a value back, and it fetches no static files.
"""

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.WidgetStates_pb2 import WidgetState

SUBPROTOCOLS = ["streamlit", "PLACEHOLDER_AUTH_TOKEN"]  # what the frontend offers without an XSRF cookie
MAX_MESSAGE_BYTES = 256 * 2**20  # one map element is several hundred KB; bounded all the same
# A run that ends like this was replaced by another run (st.rerun, a newer rerun request) or was
# a fragment's; the client keeps reading until the run it asked for has finished.
NOT_FINAL = {ForwardMsg.FINISHED_EARLY_FOR_RERUN, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


@dataclass
class Run:
    """What one rerun produced: timings (seconds after the request was sent) and its elements."""

    started: float
    finished: float | None = None
    status: int | None = None
    elements: dict[tuple[int, ...], Element] = field(default_factory=dict)
    arrivals: dict[tuple[int, ...], float] = field(default_factory=dict)  # when each element came

    @property
    def seconds(self) -> float | None:
        return None if self.finished is None else self.finished - self.started

    def first(self, kind: str) -> list[tuple[float, Element]]:
        """(seconds after the request, element) of every element of ``kind``, in page order."""
        return [(self.arrivals[path] - self.started, element) for path, element in sorted(self.elements.items())
                if element.WhichOneof("type") == kind]


def stream_url(base_url: str) -> str:
    """``http://host:port`` -> ``ws://host:port/_stcore/stream``."""
    parts = urlsplit(base_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"


def widget_value(element: Element) -> WidgetState | None:
    """The value a widget holds when it mounts: the server's ``set_value``, else its default.

    Only the widget kinds a sidebar of filters uses; buttons are triggers and hold no value."""
    kind = element.WhichOneof("type")
    proto = getattr(element, kind)
    state = WidgetState(id=proto.id)
    if kind in ("selectbox", "radio"):
        if proto.HasField("raw_value"):
            state.string_value = proto.raw_value
        elif proto.HasField("default") and proto.default < len(proto.options):
            state.string_value = proto.options[proto.default]
        else:
            return None
    elif kind == "checkbox":
        state.bool_value = proto.value if proto.set_value else proto.default
    elif kind == "multiselect":
        chosen = proto.raw_values if proto.set_value else [proto.options[i] for i in proto.default]
        state.string_array_value.data[:] = list(chosen)
    elif kind == "number_input":
        value = proto.value if proto.set_value else proto.default
        if proto.data_type == NumberInput.INT:
            state.int_value = int(value)
        else:
            state.double_value = value
    else:
        return None
    return state


def default_text(element: Element) -> str | None:
    """The URL text of a bound widget's default value (a bound widget at its default leaves the URL)."""
    proto = getattr(element, element.WhichOneof("type"))
    if element.WhichOneof("type") in ("selectbox", "radio") and proto.HasField("default"):
        return proto.options[proto.default]
    return None


class Session:
    """One simulated browser tab: a websocket, the frontend's state between runs, and reruns."""

    def __init__(self, base_url: str, query_string: str = ""):
        self.base_url = base_url.rstrip("/")
        self.query_string = query_string
        self.page_script_hash = ""
        self.widgets: dict[str, WidgetState] = {}
        self.bindings: dict[str, tuple[str, str | None]] = {}  # widget id -> (URL key, default text)
        self.last_elements: dict[tuple[int, ...], Element] = {}
        self.cache: dict[str, list] = {}  # hash -> [message bytes, run count when last used]
        self.run_count = 0
        self.max_cache_age = 2  # replaced by the server's config in new_session
        self.socket = None

    async def connect(self, timeout: float) -> None:
        """Open the websocket (raises on refusal or timeout)."""
        parts = urlsplit(self.base_url)
        self.socket = await websockets.connect(
            stream_url(self.base_url), subprotocols=SUBPROTOCOLS, origin=f"{parts.scheme}://{parts.netloc}",
            max_size=MAX_MESSAGE_BYTES, open_timeout=timeout)

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()

    def find(self, kind: str, label: str) -> Element | None:
        """The widget of ``kind`` labelled ``label`` on the page of the last finished run."""
        for element in self.last_elements.values():
            if element.WhichOneof("type") == kind and getattr(element, kind).label == label:
                return element
        return None

    def set_string(self, element: Element, value: str) -> None:
        """Choose ``value`` in a selectbox or radio, as a user's click does (the URL follows)."""
        widget_id = getattr(element, element.WhichOneof("type")).id
        self.widgets[widget_id] = WidgetState(id=widget_id, string_value=value)
        if widget_id in self.bindings:
            key, default = self.bindings[widget_id]
            params = [(name, text) for name, text in parse_qsl(self.query_string, keep_blank_values=True)
                      if name != key]
            self.query_string = urlencode(params + ([] if value == default else [(key, value)]))

    async def rerun(self, timeout: float) -> Run:
        """Send a rerun request with the current state and read until that run has finished.

        Raises TimeoutError, or websockets' ConnectionClosed when the server goes away."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_script_hash
        state.widget_states.widgets.extend(self.widgets.values())
        state.cached_message_hashes.extend(self.cache)
        run = Run(started=time.perf_counter())
        await self.socket.send(message.SerializeToString())
        async with asyncio.timeout(timeout):
            while run.finished is None:
                self._receive(await self.socket.recv(), run)
        self._finish(run)
        return run

    def _receive(self, data: bytes, run: Run) -> None:
        message = ForwardMsg()
        message.ParseFromString(data)
        kind = message.WhichOneof("type")
        if kind == "ref_hash":
            message = self._cached(message)
            kind = message.WhichOneof("type")
        elif message.metadata.cacheable and message.hash:
            self.cache.setdefault(message.hash, [data, self.run_count])
        if kind == "new_session":
            run.elements.clear()  # a new run of the script: the page is rebuilt from here on
            self.max_cache_age = message.new_session.config.max_cached_message_age or self.max_cache_age
            self.page_script_hash = self.page_script_hash or message.new_session.page_script_hash
        elif kind == "navigation":
            self.page_script_hash = message.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            path = tuple(message.metadata.delta_path)
            run.elements[path] = message.delta.new_element
            run.arrivals[path] = time.perf_counter()
        elif kind == "script_finished" and message.script_finished not in NOT_FINAL:
            run.finished, run.status = time.perf_counter(), message.script_finished

    def _cached(self, stub: ForwardMsg) -> ForwardMsg:
        entry = self.cache.get(stub.ref_hash)
        if entry is None:
            raise RuntimeError(f"ForwardMsg cache miss for hash {stub.ref_hash}")
        entry[1] = self.run_count
        message = ForwardMsg()
        message.ParseFromString(entry[0])
        message.metadata.CopyFrom(stub.metadata)  # the stub says where the element goes this time
        return message

    def _finish(self, run: Run) -> None:
        # As the frontend does after a run: age the message cache, keep only the widgets still on
        # the page, and seed new widgets with their mount value.
        self.run_count += 1
        self.cache = {key: entry for key, entry in self.cache.items()
                      if self.run_count - entry[1] <= self.max_cache_age}
        self.last_elements = run.elements
        widgets, bindings = {}, {}
        for element in run.elements.values():
            proto = getattr(element, element.WhichOneof("type"))
            seeded = widget_value(element) if getattr(proto, "id", "") else None
            if seeded is None:
                continue
            server_set = getattr(proto, "set_value", False)
            widgets[proto.id] = seeded if server_set or proto.id not in self.widgets else self.widgets[proto.id]
            if getattr(proto, "query_param_key", ""):
                bindings[proto.id] = (proto.query_param_key, default_text(element))
        self.widgets, self.bindings = widgets, bindings
