"""Waits until an MLflow server's /health answers 200, or the server's process ends, or a deadline.

Usage: wait_for_server.py URL SERVER_PID SECONDS. Exits 0 when the server answers, 1 otherwise.
"""
import os
import sys
import time
import urllib.request


def main(url, pid, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return 1
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:
                if response.status == 200:
                    return 0
        except OSError:
            pass
        time.sleep(0.2)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
