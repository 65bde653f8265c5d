# librump: a rump kernel core library whose kernel is written in Swift.
#
#   make run        install what is missing, build, install into ./dist, run Examples/hello
#   make test       everything: generated files, headers, unit tests, conformance, ABI
#   make bench      benchmarks against the installed library
#   make test-tsan  threaded/stress tests against a ThreadSanitizer build (dist-tsan)
#   make test-asan  the same against an AddressSanitizer build (dist-asan)
#   make install PREFIX=/usr/local
#
# SCRATCH names another build folder (.build-NAME), for side-by-side builds.

PREFIX      ?= $(CURDIR)/dist
VERSION     := 0.1.0
SOVERSION   := 0
SWIFT       ?= swift
CC          ?= cc
CFLAGS      ?= -O2 -g
# Extra flags for linking the programs (a sanitizer build's runtime needs some).
LDFLAGS     ?=
SCRATCH     ?= .build
BUILD       := $(SCRATCH)/release
SHARED      ?= $(CURDIR)/../shared
SWIFT_BUILD_FLAGS ?=

LIBDIR      := $(PREFIX)/lib
INCDIR      := $(PREFIX)/include/rump
BINDIR      := $(PREFIX)/bin
EXAMPLES    := $(PREFIX)/share/librump/examples

.PHONY: all deps build install run examples test test-tsan test-asan bench generate check-generated clean

all: build

deps:
	@sh scripts/deps.sh

build: deps
	$(SWIFT) build -c release --product rump --scratch-path $(SCRATCH) $(SWIFT_BUILD_FLAGS)

generate:
	python3 Syscalls/gen.py

check-generated:
	python3 Syscalls/gen.py --check

install: build
	install -d $(LIBDIR) $(INCDIR) $(LIBDIR)/pkgconfig $(BINDIR)
	install -m 755 $(BUILD)/librump.so $(LIBDIR)/librump.so.$(VERSION)
	ln -sf librump.so.$(VERSION) $(LIBDIR)/librump.so.$(SOVERSION)
	ln -sf librump.so.$(SOVERSION) $(LIBDIR)/librump.so
	$(CC) $(CFLAGS) -shared -fPIC -Wall -Wextra -Werror -Wl,-soname,librumpuser.so.$(SOVERSION) \
	    -o $(LIBDIR)/librumpuser.so.$(VERSION) Sources/Compat/rumpuser.c
	ln -sf librumpuser.so.$(VERSION) $(LIBDIR)/librumpuser.so.$(SOVERSION)
	ln -sf librumpuser.so.$(SOVERSION) $(LIBDIR)/librumpuser.so
	# Each Sources/Factions/<name>.c is a thin faction plugin, lib<name>.so.
	for src in $(wildcard Sources/Factions/*.c); do \
	    name=$$(basename $$src .c); \
	    $(CC) $(CFLAGS) -shared -fPIC -Wall -Wextra -Werror -IInclude \
	        -Wl,-soname,lib$$name.so.$(SOVERSION) -o $(LIBDIR)/lib$$name.so.$(VERSION) $$src \
	        -L$(LIBDIR) -lrump || exit 1; \
	    ln -sf lib$$name.so.$(VERSION) $(LIBDIR)/lib$$name.so.$(SOVERSION); \
	    ln -sf lib$$name.so.$(SOVERSION) $(LIBDIR)/lib$$name.so; \
	done
	# The remote client library
	$(CC) $(CFLAGS) -shared -fPIC -Wall -Wextra -Werror -fvisibility=hidden \
	    -ISources/Sysproxy -IInclude -Wl,-soname,librumpclient.so.$(SOVERSION) \
	    -Wl,--version-script=Sources/RumpClient/exports.map \
	    -o $(LIBDIR)/librumpclient.so.$(VERSION) $(wildcard Sources/RumpClient/*.c) -lpthread
	ln -sf librumpclient.so.$(VERSION) $(LIBDIR)/librumpclient.so.$(SOVERSION)
	ln -sf librumpclient.so.$(SOVERSION) $(LIBDIR)/librumpclient.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' pkgconfig/rumpclient.pc.in \
	    > $(LIBDIR)/pkgconfig/rumpclient.pc
	install -m 644 Include/rump/*.h $(INCDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' pkgconfig/rump.pc.in \
	    > $(LIBDIR)/pkgconfig/rump.pc
	# Tools: rump_server, a kernel serving remote clients (factions come
	# with -l at run time), and rumpctl, a client of it; after the libraries.
	$(CC) $(CFLAGS) -Wall -Wextra -Werror -IInclude -o $(BINDIR)/rump_server \
	    Sources/rump_server/rump_server.c -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) \
	    -lrump -lrumpuser -ldl -lpthread $(LDFLAGS)
	$(CC) $(CFLAGS) -Wall -Wextra -Werror -IInclude -o $(BINDIR)/rumpctl \
	    Sources/rumpctl/rumpctl.c -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lrumpclient $(LDFLAGS)

examples: install
	install -d $(EXAMPLES)
	$(CC) $(CFLAGS) -Wall -Wextra -Werror -I$(PREFIX)/include -o $(EXAMPLES)/hello Examples/hello.c \
	    -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -Wl,--no-as-needed -lrump -lrumpuser -lpthread
	# The faction example: the plugin, a client linked with it, and one that loads it.
	$(CC) $(CFLAGS) -Wall -Wextra -Werror -I$(PREFIX)/include -shared -fPIC \
	    -o $(EXAMPLES)/libhello_faction.so Examples/faction/hello_faction.c -L$(LIBDIR) -lrump
	$(CC) $(CFLAGS) -Wall -Wextra -Werror -I$(PREFIX)/include -o $(EXAMPLES)/faction_client \
	    Examples/faction/client.c -L$(LIBDIR) -L$(EXAMPLES) -Wl,-rpath,$(LIBDIR) -Wl,-rpath,$(EXAMPLES) \
	    -Wl,--no-as-needed -lhello_faction -lrumpvfs -lrump -lrumpuser
	$(CC) $(CFLAGS) -Wall -Wextra -Werror -I$(PREFIX)/include -o $(EXAMPLES)/faction_loader \
	    Examples/faction/client.c -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) \
	    -Wl,--no-as-needed -lrumpvfs -lrump -lrumpuser

run: examples
	$(EXAMPLES)/hello

test: examples check-generated
	@PREFIX=$(PREFIX) SHARED=$(SHARED) SWIFT=$(SWIFT) CC=$(CC) sh Tests/run.sh

# The kernel built with -sanitize=thread / address into .build-tsan / .build-asan,
# installed into dist-tsan / dist-asan, and the threaded and stress conformance
# cases (built with the toolchain's clang -fsanitize=...) plus `swift test
# --sanitize=...` run against it; every sanitizer report fails the target.
# The recipe and its reasons are in Tests/sanitizers/run.sh.
test-tsan: deps
	@SWIFT=$(SWIFT) MAKE=$(MAKE) sh Tests/sanitizers/run.sh thread

test-asan: deps
	@SWIFT=$(SWIFT) MAKE=$(MAKE) sh Tests/sanitizers/run.sh address

bench: install
	@PREFIX=$(PREFIX) SHARED=$(SHARED) CC=$(CC) sh Benchmarks/run.sh

clean:
	rm -rf .build dist
