# tinynetboot — `make` builds the release, `make test` runs every test,
# `make bench` prints sizes and boot times. See README.md.

SHELL := /bin/bash
OUT   := output
BIN   := $(OUT)/bin/tinynetboot
TB    := $(BIN)

CC      ?= gcc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Werror
LIBS    := -llzma -lz -lcrypto -lcrypt
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

BUILDER_SRC := $(filter-out builder/main.c,$(wildcard builder/*.c))
BUILDER_HDR := $(wildcard builder/*.h)
UNIT_TESTS  := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))

.PHONY: all deps builder release test unit unit-asan host cli boot repro bench fuzz fuzz-regress repin clean
.DELETE_ON_ERROR:

all: deps builder release

deps:
	@setup/install-deps

builder: $(BIN)

$(BIN): builder/main.c $(BUILDER_SRC) $(BUILDER_HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -o $@ builder/main.c $(BUILDER_SRC) $(LIBS)

$(OUT)/asan/tinynetboot: builder/main.c $(BUILDER_SRC) $(BUILDER_HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g $(SAN) -o $@ builder/main.c $(BUILDER_SRC) $(LIBS)

# MENU_ARGS: your network, e.g. MENU_ARGS="--subnet 10.0.0.0/24 --server-ip 10.0.0.1 --clients clients"
# FROZEN=1: build only from pinned sources (tinynetboot build --frozen)
release: $(BIN)
	$(TB) build $(if $(filter 1,$(FROZEN)),--frozen)
	$(TB) menu $(MENU_ARGS)
	@examples/netroot/mkdemoroot $(OUT)/demoroot && echo "demo network root: $(OUT)/demoroot"

# --- tests ---------------------------------------------------------------
$(OUT)/test/%: tests/unit/%.c $(BUILDER_SRC) $(BUILDER_HDR) tests/unit/tap.h
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -Ibuilder -o $@ $< $(BUILDER_SRC) $(LIBS)

$(OUT)/test-asan/%: tests/unit/%.c $(BUILDER_SRC) $(BUILDER_HDR) tests/unit/tap.h
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g $(SAN) -Ibuilder -o $@ $< $(BUILDER_SRC) $(LIBS)

unit: $(addprefix $(OUT)/test/,$(UNIT_TESTS))
	@tests/run-tap $^

unit-asan: $(addprefix $(OUT)/test-asan/,$(UNIT_TESTS))
	@tests/run-tap $^

# the client's code on the host, no QEMU: the fbvnc viewer built natively with
# ASan+UBSan; httproot's live.sh in the release's BusyBox
host:
	@tests/run-tap tests/viewer/test-viewer-host.sh tests/netroot/test-live-unpack.sh tests/netroot/test-cmdline.sh \
		tests/client/test-functions.sh

cli: $(BIN) $(OUT)/asan/tinynetboot
	@tests/run-tap tests/cli/test-cli.sh tests/cli/test-menu.sh tests/cli/test-fleet.sh tests/cli/test-crash.sh tests/cli/test-sshkey.sh tests/pins/test-pins.sh tests/badinput/run.sh

boot: all
	@tests/run-tap tests/run/test-run.sh tests/serve/test-serve.sh tests/boot/test-boot.sh tests/hardware/test-nics.sh tests/hardware/test-usb.sh tests/netboot/test-netboot.sh tests/netboot/test-uefi-http.sh tests/uefi/test-uefi.sh tests/fbvnc/test-fbvnc.sh tests/fbvnc/test-fbvnc-hostile.sh tests/fbvnc-ssh/test-fbvnc-ssh.sh tests/netroot/test-netroot.sh tests/rescue/test-rescue.sh

repro: all
	@tests/run-tap tests/repro/test-repro.sh

# --- fuzzing (libFuzzer, clang): `make fuzz FUZZ_SECONDS=300` runs each harness;
# `make fuzz-regress` (part of make test) replays every corpus input once.
FUZZERS      := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Ibuilder

$(OUT)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(BUILDER_SRC) $(BUILDER_HDR)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ $< $(BUILDER_SRC) $(LIBS)

fuzz: $(addprefix $(OUT)/fuzz/fuzz_,$(FUZZERS))
	@for f in $(FUZZERS); do \
	    mkdir -p $(OUT)/fuzz/new-$$f; \
	    echo "=== fuzz_$$f for $(FUZZ_SECONDS) s"; \
	    $(OUT)/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(OUT)/fuzz/crash-$$f- \
	        $(OUT)/fuzz/new-$$f tests/fuzz/corpus/$$f 2>&1 | grep -E '^(#[0-9]+ *DONE|Done|==[0-9]+==ERROR)' ; \
	done

fuzz-regress: $(addprefix $(OUT)/fuzz/fuzz_,$(FUZZERS))
	@tests/run-tap tests/fuzz/regress.sh

test: all
	@tests/run-all

bench: all
	@tests/bench/bench.sh

# Re-pin every stale source to what Debian offers now (make repin), or one recipe's
# (make repin RECIPE=busybox), whether stale or not.
repin: $(BIN)
	$(TB) pin $(RECIPE)

clean:
	rm -rf $(OUT)
