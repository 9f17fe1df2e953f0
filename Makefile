# SPDX-License-Identifier: GPL-2.0
#
# sipproxy: the rtpfwd kernel module, the rtpfwd CLI and sipproxyd.
#
#   make            build the module (for KDIR) and the userspace programs
#   make run        install what is missing, build, load the module if this
#                   kernel allows it, start sipproxyd on the default config
#   make check      install what is missing, build for every installed kernel,
#                   run every test (host and VM) and print "N passed, N failed"
#   make install    install the programs, man pages and the module
#   make bench      run a benchmark in bench/ (BENCH=name; in the VM unless host)

TOP := $(CURDIR)
BUILD := $(TOP)/build
PREFIX ?= /usr/local
DESTDIR ?=

# The kernel to build for: the running one's headers when they exist, else
# the newest Debian linux-headers-*-amd64 installed.
KDIR ?= $(shell d=/lib/modules/$$(uname -r)/build; [ -d "$$d" ] && echo "$$d" || \
	ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
# The kernel release a headers directory is for, as /lib/modules names it.
kver_of = $(patsubst linux-headers-%,%,$(notdir $(realpath $(1))))
KVER := $(call kver_of,$(KDIR))
ALL_KDIRS := $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V)

Q := $(if $(V),,@)

.PHONY: all module modules-all userspace check run install modules_install \
	deps deps-run bench demo clean

all: module userspace

deps:
	$(Q)scripts/install-deps.sh check

deps-run:
	$(Q)scripts/install-deps.sh run

# Out-of-tree builds write objects next to their sources, so each kernel gets
# a shadow tree of symlinks under build/kmod/KVER and is built there.
# build_module KDIR, OUTDIR, EXTRA-MAKE-ARGS
define build_module
	$(Q)test -n "$(call kver_of,$(1))" || { echo "no kernel headers at '$(1)'" >&2; exit 1; }
	$(Q)scripts/shadow-tree.sh $(TOP) $(BUILD)/$(2)/$(call kver_of,$(1))
	$(Q)$(MAKE) -s -C $(1) M=$(BUILD)/$(2)/$(call kver_of,$(1)) $(3) modules
endef

module:
	$(call build_module,$(KDIR),kmod)

# Every installed kernel, plus the DEBUG build whose self-tests run at load
# (build/kmod-debug/KVER), which the kernel tests load once.
modules-all:
	$(foreach k,$(ALL_KDIRS),$(call build_module,$(k),kmod)$(newline))
	$(foreach k,$(ALL_KDIRS),$(call build_module,$(k),kmod-debug,RTPFWD_DEBUG=1)$(newline))

define newline


endef

userspace:
	$(Q)$(MAKE) -s -C userspace

check: deps
	$(Q)$(MAKE) -s modules-all userspace
	$(Q)$(MAKE) -s -C bench
	$(Q)tests/run-check.sh

run: deps-run all
	$(Q)scripts/run.sh $(BUILD)/kmod/$(KVER)/kmod/rtpfwd.ko

# One call through sipproxyd with rtpfwd.ko, inside the VM (KVER=...).
demo: deps modules-all userspace
	$(Q)scripts/demo.sh

bench: deps modules-all userspace
	$(Q)$(MAKE) -s -C bench
	$(Q)bench/run.sh $(BENCH)

install: userspace
	$(Q)$(MAKE) -s -C userspace install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

modules_install: module
	$(Q)$(MAKE) -s -C $(KDIR) M=$(BUILD)/kmod/$(KVER) modules_install

clean:
	$(Q)rm -rf $(BUILD)
	$(Q)$(MAKE) -s -C userspace clean
