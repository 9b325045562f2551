# carepress - one Makefile: the generator, the site, the tests.
# `make` installs missing Debian packages (as root), builds ./carepress and
# then the site into public/. `make test` runs every test, normal and
# sanitized, then one build under valgrind and the fuzz targets over their
# corpus. See README.md.

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
# Debian's libcmark-gfm.pc links the extensions too (there is no
# libcmark-gfm-extensions.pc), so pkg-config gives both from one name.
PKGS = libcmark-gfm libxml-2.0 icu-uc icu-i18n yaml-0.1 libmicrohttpd
DEBS = libcmark-gfm-dev libcmark-gfm-extensions-dev libxml2-dev libicu-dev \
       libyaml-dev libcmocka-dev pkg-config libxml2-utils valgrind clang \
       libmicrohttpd-dev weasyprint fonts-dejavu poppler-utils python3-pdfminer \
       chromium default-jre-headless curl

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wwrite-strings -Werror
# Lazy: pkg-config runs after the deps stamp has installed the packages.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) $(PKG_CFLAGS) -pthread
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all

SRC = $(wildcard gen/*.c)
LIB_SRC = $(filter-out gen/main.c,$(SRC))
HDR = $(wildcard gen/*.h)
UNIT_SRC = $(wildcard tests/unit/test_*.c)

OBJ = $(LIB_SRC:gen/%.c=build/obj/%.o)
SAN_OBJ = $(LIB_SRC:gen/%.c=build/san/%.o)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=build/obj/%)
SAN_UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=build/san/%)
DEPS_STAMP = build/deps.stamp

# `make` alone is `make all`, whatever target comes first below.
.DEFAULT_GOAL := all

# The PDFs of the large-print pages and the brochures (WeasyPrint).
pdf: carepress
	./carepress pdf

# The benchmark against Hugo and a plain cmark-gfm loop (not a test).
bench: carepress
	sh tests/bench/bench.sh ./carepress

.PHONY: pdf bench all site deps test install clean valgrind golden-update

all: carepress site

# Installs the Debian packages the build and tests need, once per checkout.
$(DEPS_STAMP):
	@mkdir -p build
	@missing=""; for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "carepress: installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "carepress: missing Debian packages:$$missing"; \
	    echo "install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi; \
	if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq nodejs npm >/dev/null || exit 1; \
	  else echo "carepress: the browser tests need npm: sudo apt-get install nodejs npm"; exit 1; fi; \
	fi
	@touch $@

deps: $(DEPS_STAMP)

build/obj/%.o: gen/%.c $(HDR) $(DEPS_STAMP)
	@mkdir -p build/obj
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) -c $< -o $@

build/san/%.o: gen/%.c $(HDR) $(DEPS_STAMP)
	@mkdir -p build/san
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c $< -o $@

carepress: build/obj/main.o $(OBJ)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS)

build/san/carepress: build/san/main.o $(SAN_OBJ)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(PKG_LIBS)

build/obj/test_%: tests/unit/test_%.c $(OBJ)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) -Igen -o $@ $< $(OBJ) $(PKG_LIBS) $(CMOCKA_LIBS)

build/san/test_%: tests/unit/test_%.c $(SAN_OBJ)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Igen -o $@ $< $(SAN_OBJ) $(PKG_LIBS) $(CMOCKA_LIBS)

build/obj/mustache_spec: tests/mustache_spec.c $(OBJ)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) -Igen -o $@ $< $(OBJ) $(PKG_LIBS)

build/san/mustache_spec: tests/mustache_spec.c $(SAN_OBJ)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Igen -o $@ $< $(SAN_OBJ) $(PKG_LIBS)

# The site: carepress rebuilds only what changed, so this always runs.
site: carepress
	./carepress build

# Every test, with the normal build and again under ASan+UBSan; then
# valgrind and the fuzz corpus (tests/fuzz/fuzz.mk).
test: carepress build/san/carepress $(UNIT_BIN) $(SAN_UNIT_BIN) \
      build/obj/mustache_spec build/san/mustache_spec
	@sh tests/run-all.sh ./carepress build/obj
	@echo "== the same tests under AddressSanitizer + UndefinedBehaviorSanitizer"
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  sh tests/run-all.sh build/san/carepress build/san sanitized
	@echo "== valgrind"
	@$(MAKE) --no-print-directory valgrind
	@echo "== the libFuzzer targets over their committed corpus"
	@$(MAKE) --no-print-directory fuzz-corpus

# Regenerate the golden files on purpose, after checking the change is right.
golden-update: carepress
	@sh tests/golden.sh ./carepress --update

# One full build of the seed site under valgrind (part of `make test`, about
# 5 s): any memory error, or a definite or indirect leak, fails. The output
# dir goes first, or the build would stop at "nothing changed". Blocks
# "possibly lost" are ICU's transliterator registry, which it keeps for the
# life of the process; they are not shown.
valgrind: carepress
	@rm -rf build/valgrind-public
	@valgrind -q --error-exitcode=1 --leak-check=full \
	  --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	  ./carepress build --quiet --out build/valgrind-public --jobs 2
	@echo "valgrind: one full build of the seed site, no errors, no leaks"

install: carepress
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 carepress $(DESTDIR)$(PREFIX)/bin/carepress
	install -m 644 docs/carepress.1 $(DESTDIR)$(PREFIX)/share/man/man1/carepress.1

clean:
	rm -rf build carepress

# libFuzzer targets: `make fuzz` (FUZZ_SECONDS each), `make fuzz-corpus`
# (every target over its committed corpus; part of `make test`).
-include tests/fuzz/fuzz.mk
