# Shared compiler settings for everything under userspace/ and tests/.
# USERSPACE is this directory; TOP the repository root.
USERSPACE := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
TOP := $(abspath $(USERSPACE)/..)

CC ?= gcc
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2 \
	-Werror=implicit-function-declaration -fno-strict-aliasing \
	-D_GNU_SOURCE -I$(TOP)/include -I$(USERSPACE) -MMD -MP
LDLIBS_ALL := -lmnl -lssl -lcrypto -lsqlite3 -lcares

# Every component is a static library of all its objects but main.o, so the
# unit tests and fuzzers link the same code the programs run.
LIBCOMMON := $(USERSPACE)/lib/libcommon.a
LIBRTPFWD := $(USERSPACE)/rtpfwd/librtpfwd.a
LIBSIPPROXYD := $(USERSPACE)/sipproxyd/libsipproxyd.a
