"""End-to-end `ssm-sessions describe-sessions` vs `aws ssm describe-sessions`.

Both list the same `serve-local` emulator (History, json output) as fresh processes, with
an empty HOME so no user configuration is read. Prints median wall times and the ratio.

    python bench/bench_cli_startup.py [--sessions 50] [--repeat 10]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile

from common import median_seconds, serve_local


def time_commands(sessions: int, repeat: int) -> dict[str, float]:
    aws = shutil.which("aws")
    assert aws, "the aws command (pip install awscli) is needed"
    with serve_local("--history", str(sessions)) as server, tempfile.TemporaryDirectory() as home:
        env = {**server.environ(), "HOME": home}
        arguments = ["describe-sessions", "--state", "History"]
        arguments += ["--endpoint-url", server.endpoint_url]
        commands = {
            "ssm-sessions": [sys.executable, "-m", "ssm_sessions", *arguments],
            "aws": [aws, "ssm", *arguments],
        }
        times = {}
        for name, command in commands.items():

            def run(command: list[str] = command) -> str:
                done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
                return done.stdout

            times[name], _ = median_seconds(run, repeat)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=10)
    options = parser.parse_args()
    times = time_commands(options.sessions, options.repeat)
    print(f"{options.sessions} History sessions, json output, median of {options.repeat} runs")
    for name, seconds in times.items():
        print(f"{name:13s} {seconds * 1000:7.1f} ms")
    ratio = times["aws"] / times["ssm-sessions"]
    print(f"ratio: ssm-sessions starts and lists {ratio:.1f}x faster than aws")


if __name__ == "__main__":
    main()
