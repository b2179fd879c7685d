"""The embedded runtime in real programs: forks, threads, Ctrl-C, abandoned pagers.

Every wait here has a generous bound so that a hang fails the test instead of stalling the
suite; none of the assertions is about speed.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import ssm_sessions as ssm

BOUND = 60  # seconds: far beyond what any of this takes; only a hang reaches it


def list_history(endpoint_url: str, credentials: ssm.Credentials) -> list[ssm.Session]:
    """Runs in pool workers: a fresh client, the whole History listing."""
    client = ssm.Client(endpoint_url=endpoint_url, credentials=credentials, region="us-east-1")
    return client.describe_sessions("History", page_size=9).to_list()


def wait_for_child(pid: int) -> int:
    """The child's exit code; kills it and fails if it does not exit within BOUND."""
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("the forked child hung")


def client_of(emu) -> str:
    """Lines of a script that make `client`, a Client of the emulator `emu`."""
    return "; ".join(
        [
            "import ssm_sessions as ssm",
            f"client = ssm.Client(endpoint_url={emu.endpoint_url!r}, region='us-east-1', "
            f"credentials=ssm.Credentials({emu.credentials.access_key_id!r}, "
            f"{emu.credentials.secret_access_key!r}))",
        ]
    )


def run_python(code: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=BOUND,
        **kwargs,
    )


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_forked_child_lists_sessions_after_the_parent_did(emulator):
    emu = emulator(generate=(3, 40))
    client = emu.client()
    expected = client.describe_sessions("History", page_size=9).to_list()
    pager = client.describe_sessions("History", page_size=9)
    next(pager)  # the parent even has a prefetch in flight when it forks
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 1
        try:
            child_listing = client.describe_sessions("History", page_size=9).to_list()
            code = 0 if child_listing == expected else 3
        finally:
            os._exit(code)
    assert wait_for_child(pid) == 0
    assert pager.to_list() == expected[1:]  # the parent's runtime still works
    assert client.describe_sessions("History", page_size=9).to_list() == expected


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_forked_child_finishes_the_parents_pager(emulator):
    emu = emulator(generate=(3, 40))
    client = emu.client()
    expected = client.describe_sessions("History", page_size=9).to_list()
    pager = client.describe_sessions("History", page_size=9)
    started = [next(pager) for _ in range(12)]  # into the second page, the third requested
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 1
        try:
            code = 0 if started + pager.to_list() == expected else 3
        finally:
            os._exit(code)
    assert wait_for_child(pid) == 0
    assert started + pager.to_list() == expected


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_fork_pool_lists_sessions_in_every_worker(emulator):
    emu = emulator(generate=(3, 40))
    expected = emu.client().describe_sessions("History").to_list()  # the parent's runtime is up
    context = multiprocessing.get_context("fork")
    with context.Pool(3) as pool:
        results = pool.starmap_async(list_history, [(emu.endpoint_url, emu.credentials)] * 6).get(
            timeout=BOUND
        )
    assert len(results) == 6
    for listing in results:
        assert listing == expected
        assert all(s.region == "us-east-1" for s in listing)


def test_eight_threads_iterating_at_once_each_get_the_full_listing(emulator):
    emu = emulator(generate=(3, 60), faults={"latency_ms": 5})
    client = emu.client()
    expected = client.describe_sessions("History", page_size=7).to_list()
    start = threading.Barrier(8)

    def iterate(_: int) -> list[ssm.Session]:
        pager = client.describe_sessions("History", page_size=7)
        start.wait(timeout=BOUND)
        return [session for session in pager]

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(iterate, n) for n in range(8)]
        results = [future.result(timeout=BOUND) for future in futures]
    assert all(result == expected for result in results)
    assert len(expected) == 60


def test_threads_sharing_nothing_but_the_client_see_their_own_filters(emulator):
    emu = emulator(generate=(3, 60))
    client = emu.client()
    statuses = ["Terminated", "Failed", "Terminating"]
    expected = {
        status: client.describe_sessions("History", status=status, page_size=4).to_list()
        for status in statuses
    }
    with ThreadPoolExecutor(6) as pool:
        futures = {
            pool.submit(
                lambda s: client.describe_sessions("History", status=s, page_size=4).to_list(),
                status,
            ): status
            for status in statuses * 2
        }
        for future, status in futures.items():
            assert future.result(timeout=BOUND) == expected[status]
    assert sum(len(v) for v in expected.values()) == 60


def test_ctrl_c_interrupts_a_slow_request(emulator):
    emu = emulator(generate=(0, 5), faults={"latency_ms": 30000})
    child = start_child_waiting_in_listing(
        emu,
        """
        listing()
        print("not interrupted", flush=True)
        """,
    )
    out, err = interrupt_when_ready(child, timeout=10)  # the request alone would take 30 s
    assert "not interrupted" not in out
    assert "KeyboardInterrupt" in err
    assert child.returncode == -signal.SIGINT


CHILD_WAITING_IN_LISTING = """
    import sys, threading, time
    import ssm_sessions as ssm

    client = ssm.Client(
        endpoint_url={endpoint_url!r},
        credentials=ssm.Credentials({access_key_id!r}, {secret_access_key!r}),
        region="us-east-1",
        max_attempts=1,
    )
    pager = client.describe_sessions("History", page_size=3)
    main = threading.main_thread()

    def announce():
        # "ready" only once the main thread is inside the listing call below.
        while True:
            frame = sys._current_frames().get(main.ident)
            if frame is not None and frame.f_code.co_name == "listing":
                print("ready", flush=True)
                return
            time.sleep(0.01)

    def listing():
        return list(pager)

    threading.Thread(target=announce, daemon=True).start()
"""


def start_child_waiting_in_listing(emu, then: str) -> subprocess.Popen:
    code = textwrap.dedent(CHILD_WAITING_IN_LISTING).format(
        endpoint_url=emu.endpoint_url,
        access_key_id=emu.credentials.access_key_id,
        secret_access_key=emu.credentials.secret_access_key,
    )
    return subprocess.Popen(
        [sys.executable, "-c", code + textwrap.dedent(then)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def interrupt_when_ready(child: subprocess.Popen, timeout: float) -> tuple[str, str]:
    try:
        assert child.stdout.readline() == "ready\n"
        time.sleep(0.3)  # let the request reach the emulator (correctness does not need it)
        child.send_signal(signal.SIGINT)
        return child.communicate(timeout=timeout)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()


def test_iterating_again_after_ctrl_c_continues_the_listing(emulator):
    emu = emulator(generate=(0, 8), faults={"latency_ms": 1500})
    child = start_child_waiting_in_listing(
        emu,
        """
        try:
            listing()
        except KeyboardInterrupt:
            print("interrupted", pager.resume_token, flush=True)
        sessions = list(pager)
        print(len(sessions), len(set(s.session_id for s in sessions)), pager.resume_token)
        """,
    )
    out, err = interrupt_when_ready(child, timeout=BOUND)
    assert child.returncode == 0, err
    assert out.splitlines() == ["interrupted None", "8 8 None"]


def test_the_pager_fetches_one_page_ahead_and_no_more(emulator):
    emu = emulator(generate=(0, 40))  # 8 pages of 5
    pager = emu.client().describe_sessions("History", page_size=5)
    for taken in range(1, 41):
        next(pager)
        pages_asked_for = -(-taken // 5)
        expected = min(pages_asked_for + 1, 8)
        deadline = time.monotonic() + BOUND
        while len(emu.requests) < expected and time.monotonic() < deadline:
            time.sleep(0.001)
        if taken in (1, 5, 6, 23):
            time.sleep(0.05)  # room for a request too many to show; none may come
        assert len(emu.requests) == expected, taken
    assert list(pager) == []
    assert len(emu.requests) == 8


def test_pages_and_to_list_continue_where_iteration_stopped(emulator):
    emu = emulator(generate=(0, 30))
    client = emu.client()
    everything = client.describe_sessions("History", page_size=7).to_list()

    pages = list(client.describe_sessions("History", page_size=7).pages())
    assert [len(page) for page in pages] == [7, 7, 7, 7, 2]
    assert [s for page in pages for s in page.sessions] == everything
    assert pages[-1].next_token is None
    assert all(page.next_token for page in pages[:-1])
    assert repr(pages[0]).startswith("Page(sessions=<7 sessions>, next_token=")
    for index, page in enumerate(pages[:-1]):
        rest = client.describe_sessions("History", page_size=7, starting_token=page.next_token)
        assert rest.to_list() == everything[7 * (index + 1) :]

    pager = client.describe_sessions("History", page_size=7)
    first = [next(pager) for _ in range(3)]
    page = next(pager.pages())
    assert page.sessions == everything[3:7]  # the rest of the page being consumed
    assert pager.to_list() == everything[7:]
    assert first == everything[:3]
    assert pager.to_list() == []
    assert list(pager) == []
    assert pager.resume_token is None


def test_max_items_caps_pages_and_to_list(emulator):
    emu = emulator(generate=(0, 30))
    client = emu.client()
    everything = client.describe_sessions("History", page_size=7).to_list()
    pages = list(client.describe_sessions("History", page_size=7, max_items=10).pages())
    assert [len(page) for page in pages] == [7, 3]
    assert [s for page in pages for s in page.sessions] == everything[:10]
    pager = client.describe_sessions("History", page_size=7, max_items=10)
    assert pager.to_list() == everything[:10]
    assert pager.resume_token == pages[-1].next_token


def test_an_abandoned_pager_does_not_hang_the_process_at_exit(emulator):
    emu = emulator(generate=(0, 50))
    result = run_python(
        f"""
        {client_of(emu)}
        pager = client.describe_sessions("History", page_size=5)
        print(next(pager).session_id, flush=True)
        pages = client.describe_sessions("History", page_size=5).pages()
        next(pages)
        # both are left mid-listing, with the next page prefetched or in flight
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_a_pager_blocked_in_another_thread_does_not_hang_the_process_at_exit(emulator):
    emu = emulator(generate=(0, 5), faults={"latency_ms": 30000})
    result = run_python(
        f"""
        import threading, time
        {client_of(emu)}
        worker = threading.Thread(
            target=lambda: list(client.describe_sessions("History")), daemon=True
        )
        worker.start()
        time.sleep(0.2)
        print("leaving", flush=True)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "leaving\n"


def test_a_pager_with_its_own_emulator_exits_cleanly(tmp_path):
    """The README's shape: an emulator and a half-read pager in one short script."""
    result = run_python(
        """
        from ssm_sessions.testing import LocalSsm
        ssm = LocalSsm(generate=(2, 30), seed=1).start()
        pager = ssm.client().describe_sessions("History", page_size=4)
        print(len([next(pager) for _ in range(5)]), flush=True)
        """,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "5\n"
