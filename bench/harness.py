#!/usr/bin/env python3
"""Times the mini daily sync in Ferry, Selenium and Playwright, alternating, against one fixture site.

Run through bench/run, which builds and installs what this needs. Each round starts every contender
as a fresh process (Ferry with a fresh store in a fresh folder) and times the whole command. The
last lines printed are Ferry's ratios to each peer.
"""
import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7, help="measured rounds after the warm-up (at least 5)")
    parser.add_argument("--ferry", default=os.path.join(ROOT, ".build/release/ferry"))
    parser.add_argument("--fixtures", default=os.path.join(ROOT, ".build/release/ferry-fixtures"))
    parser.add_argument("--only", choices=["ferry", "selenium", "playwright"], action="append",
                        help="time only these contenders (repeatable; default all three)")
    parser.add_argument("--item-rounds", type=int, default=3, help="rounds of the 50-item flow per worker count (0 skips it)")
    parser.add_argument("--keep", action="store_true", help="keep the work folders (printed) for a look afterwards")
    parser.add_argument("--quiet", type=float, default=0.25,
                        help="before each run, wait (30 s at most) until the machine is less busy than this share (1 = never wait)")
    return parser.parse_args()


class Fixtures:
    """ferry-fixtures --only clinic on a free port, for the whole benchmark."""

    def __init__(self, binary):
        self.process = subprocess.Popen(
            [binary, "--only", "clinic", "--clinic-port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True)
        deadline = time.time() + 30
        self.url = None
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            found = re.search(r"(http://127\.0\.0\.1:\d+)", line)
            if found:
                self.url = found.group(1)
                break
        if not self.url:
            self.stop()
            raise SystemExit("the fixture site did not start")

    def arrivals(self):
        with urllib.request.urlopen(self.url + "/bench/_arrivals", timeout=5) as answer:
            return json.loads(answer.read())

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def busy_share(interval=0.25):
    """The share of all CPU time the machine spent busy over `interval` seconds (from /proc/stat)."""
    def sample():
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return sum(fields), idle
    total1, idle1 = sample()
    time.sleep(interval)
    total2, idle2 = sample()
    return 1 - (idle2 - idle1) / max(1, total2 - total1)


def wait_for_quiet(limit, patience=30.0):
    """Waits (at most `patience` seconds) until other work on the machine uses less than `limit` of
    its CPU, so a round is not timed while a neighbour compiles. Returns the seconds waited."""
    started = time.time()
    while time.time() - started < patience and busy_share() > limit:
        pass
    return time.time() - started


def run_once(name, command, work, fixtures, env, quiet=None):
    """Runs one contender as a fresh process; returns its measurements or raises with its output."""
    if quiet is not None:
        wait_for_quiet(quiet)
    fixtures.arrivals()  # forget anything left over
    started = time.time()
    process = subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.time() - started
    stdout, stderr = process.stdout.read(), process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit("%s failed (exit %d) in %s:\n%s\n%s" % (name, code, work, stdout[-3000:], stderr[-3000:]))
    arrivals = fixtures.arrivals()
    result = {"wall": wall, "session_start": (arrivals[0] - started) if arrivals else None}
    timings = re.search(r"ferry timings: wall_ms=([\d.]+) user_ms=([\d.]+) sys_ms=([\d.]+) cpu_pct=[\d.]+ peak_rss_kib=(\d+)", stderr)
    if timings:
        result["cpu"] = (float(timings.group(2)) + float(timings.group(3))) / 1000
        result["peak_rss_mib"] = int(timings.group(4)) / 1024
    return result


def contenders(args, site):
    python = sys.executable
    ferry_common = ["--db", "ferry.db", "--runs", "runs", "--screenshots", "shots", "--timings", "--verbose"]
    table = {
        "ferry": [args.ferry, "run", os.path.join(HERE, "flows/mini-sync.yaml"), "--input", "site=" + site] + ferry_common,
        "selenium": [python, os.path.join(HERE, "selenium_sync.py"), "--site", site, "--work", "."],
        "playwright": [python, os.path.join(HERE, "playwright_sync.py"), "--site", site, "--work", "."],
    }
    return [(name, table[name]) for name in ["ferry", "selenium", "playwright"] if not args.only or name in args.only]


def ms(seconds):
    return "%.0f" % (seconds * 1000)


def summary(values):
    return statistics.median(values), min(values), max(values)


def versions(args):
    def first_line(command):
        try:
            out = subprocess.run(command, capture_output=True, text=True, timeout=30)
            lines = [l for l in (out.stdout + out.stderr).splitlines() if l.strip() and "unexpected operator" not in l]
            return lines[0].strip() if lines else "?"
        except (OSError, subprocess.TimeoutExpired):
            return "?"
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((l.split(":", 1)[1].strip() for l in info if l.startswith("model name")), "?")
    except OSError:
        pass
    from importlib.metadata import version
    return [
        "machine: %s, %d cores (nproc), %s" % (cpu, os.cpu_count(), platform.platform()),
        "date: %s" % time.strftime("%Y-%m-%d %H:%M %Z"),
        "versions: %s; %s; selenium %s; playwright %s; %s; Python %s" % (
            first_line(["/usr/bin/chromium", "--version"]), first_line(["/usr/bin/chromedriver", "--version"]).split(" (")[0],
            version("selenium"), version("playwright"), first_line(["swift", "--version"]), platform.python_version()),
    ]


def main():
    args = parse_args()
    if args.rounds < 5:
        raise SystemExit("--rounds must be at least 5")
    env = dict(os.environ, CLINIC_USER="clerk", CLINIC_PASSWORD="clinic-pass-2003")
    env["PYTHONPATH"] = HERE
    root = tempfile.mkdtemp(prefix="ferry-bench-")
    fixtures = Fixtures(args.fixtures)
    try:
        lineup = contenders(args, fixtures.url)
        print("Mini daily sync against %s: sign in, wait for the 500-row table a script fills after 300 ms," % fixtures.url)
        print("read all rows, export the CSV and wait until it has landed, upload it, read the confirmation.")
        print("Each run is a fresh process with a fresh browser; order %s, repeated; 1 warm-up round, %d measured."
              % (" ".join(name for name, _ in lineup), args.rounds))
        results = {name: [] for name, _ in lineup}
        for round_number in range(args.rounds + 1):
            for name, command in lineup:
                work = os.path.join(root, "%s-%d" % (name, round_number))
                os.makedirs(work)
                result = run_once(name, command, work, fixtures, env, quiet=args.quiet)
                if round_number > 0:
                    results[name].append(result)
                print("  %s %-10s %6s ms%s" % ("warm-up" if round_number == 0 else "round %d" % round_number, name,
                                              ms(result["wall"]), "" if round_number else " (not counted)"), flush=True)
                if not args.keep:
                    shutil.rmtree(work, ignore_errors=True)

        print("")
        print("%-11s %11s %17s %15s %10s %10s" % ("contender", "median ms", "range ms", "session start", "CPU/wall", "peak RSS"))
        for name, _ in lineup:
            walls = [r["wall"] for r in results[name]]
            median, low, high = summary(walls)
            starts = [r["session_start"] for r in results[name] if r["session_start"] is not None]
            start = (ms(statistics.median(starts)) + " ms") if starts else "-"
            cpu = rss = "-"
            if name == "ferry":
                cpu = "%.1f%%" % statistics.median(r["cpu"] / r["wall"] * 100 for r in results[name])
                rss = "%.1f MiB" % max(r["peak_rss_mib"] for r in results[name])
            print("%-11s %11s %17s %15s %10s %10s" % (name, ms(median), "%s–%s" % (ms(low), ms(high)), start, cpu, rss))
        print("(session start: process spawn to the browser's first request; CPU/wall and peak RSS: the ferry process")
        print(" alone, chromedriver and Chromium aside, CPU from getrusage(RUSAGE_SELF) over the command's wall time)")

        if args.item_rounds > 0 and "ferry" in results:
            print("")
            print("The same flow with 50 work items, each uploaded on its own (bench/flows/mini-sync-items.yaml):")
            items = {workers: [] for workers in (1, 2, 4)}
            flow = os.path.join(HERE, "flows/mini-sync-items.yaml")
            for round_number in range(args.item_rounds):
                for workers in (1, 2, 4):
                    work = os.path.join(root, "items-%d-%d" % (workers, round_number))
                    os.makedirs(work)
                    command = [args.ferry, "run", flow, "--input", "site=" + fixtures.url, "--workers", str(workers),
                               "--db", "ferry.db", "--runs", "runs", "--screenshots", "shots", "--timings", "--verbose"]
                    items[workers].append(run_once("ferry (%d workers)" % workers, command, work, fixtures, env, quiet=args.quiet))
                    if not args.keep:
                        shutil.rmtree(work, ignore_errors=True)
            base = statistics.median(r["wall"] for r in items[1])
            print("%-9s %11s %17s %12s %10s %10s" % ("workers", "median ms", "range ms", "vs 1 worker", "CPU/wall", "peak RSS"))
            for workers, runs in items.items():
                median, low, high = summary([r["wall"] for r in runs])
                print("%-9d %11s %17s %11.2fx %9.1f%% %6.1f MiB" % (
                    workers, ms(median), "%s–%s" % (ms(low), ms(high)), median / base,
                    statistics.median(r["cpu"] / r["wall"] * 100 for r in runs), max(r["peak_rss_mib"] for r in runs)))

        print("")
        for line in versions(args):
            print(line)
        if "ferry" in results:
            ferry = statistics.median(r["wall"] for r in results["ferry"])
            print("")
            targets = {"playwright": 0.9, "selenium": 0.7}
            for name in ("playwright", "selenium"):
                if name in results:
                    ratio = ferry / statistics.median(r["wall"] for r in results[name])
                    print("Ferry / %s: %.2fx median end-to-end (target <= %.1fx: %s)" % (
                        name.capitalize(), ratio, targets[name], "met" if ratio <= targets[name] else "NOT met"))
            share = statistics.median(r["cpu"] / r["wall"] * 100 for r in results["ferry"])
            print("Ferry CPU / wall: %.1f%% (target <= 5%%: %s)" % (share, "met" if share <= 5 else "NOT met"))
    finally:
        fixtures.stop()
        if args.keep:
            print("work folders kept in", root)
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
