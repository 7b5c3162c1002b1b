# Tern's entry points. `make run` boots Tern in QEMU on this terminal; `make test` runs every test.
BUILD ?= build
CMAKE_FLAGS ?=
KERNEL := $(BUILD)/tern
INITRD := $(BUILD)/rootfs-busybox.cpio.gz

.PHONY: all deps build run test debug clean

all: build

deps:
	@sh tools/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)

run: build
	@tools/run-qemu.sh $(KERNEL) $(INITRD)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j2 --timeout 600

# QEMU halted at the first instruction with its gdb stub on :1234, and gdb attached with symbols.
debug: build
	@tools/debug.sh $(KERNEL) $(INITRD)

clean:
	rm -rf $(BUILD)
