# Ferry's entry points. `make demo` runs the main job against the bundled fixture sites;
# `make test` runs the whole test suite. Both install what they need first.

SHELL := /bin/bash
export PATH := $(if $(wildcard /opt/swift/usr/bin),/opt/swift/usr/bin:,)$(PATH)

.PHONY: demo test deps build release fixtures bench clean

deps:
	@scripts/install-deps

build: deps
	swift build --product ferry

# The production binary: .build/release/ferry with the Swift runtime and Foundation linked in (one
# file to copy to a server, and ~5 ms less start-up CPU than the dynamically linked build).
release: deps
	swift build -c release --static-swift-stdlib --product ferry

demo: build
	.build/debug/ferry demo

test: deps
	swift build --build-tests
	swift test --skip-build --no-parallel

# Ferry vs Selenium vs Playwright on the mini daily sync (bench/README.md); its last lines are the ratios.
bench:
	bench/run

fixtures: deps
	swift build --product ferry-fixtures
	.build/debug/ferry-fixtures

clean:
	rm -rf .build
