# tests/fuzz/fuzz.mk - libFuzzer targets (included by the Makefile).
#
#   make fuzz [FUZZ_SECONDS=60]   build every target with clang
#                                 (-fsanitize=fuzzer,address,undefined) and fuzz
#                                 each for FUZZ_SECONDS, starting from its
#                                 committed corpus; fails on any crash, leak,
#                                 timeout or sanitizer report. New inputs go to
#                                 build/fuzz/work/<target>/, crashes to
#                                 build/fuzz/artifacts/.
#   make fuzz-corpus              run every target once over its committed
#                                 corpus (tests/fuzz/corpus/<target>/): quick,
#                                 part of `make test`.
#
# Reproduce a finding:  build/fuzz/<target> build/fuzz/artifacts/<file>
# Add it to the corpus: cp build/fuzz/artifacts/<file> tests/fuzz/corpus/<target>/
# Regenerate the seeds: sh tests/fuzz/make-corpus.sh
#
# Uses the Makefile's LIB_SRC, HDR, WARN, PKG_CFLAGS, PKG_LIBS and DEPS_STAMP.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = fuzz_frontmatter fuzz_mustache fuzz_page
# Inputs larger than this are not generated: a page is a few KB, and 16 KB
# leaves room for deep nesting and long lines while keeping runs fast.
FUZZ_MAX_LEN ?= 16384
# Seconds one input may take before it counts as a hang.
FUZZ_TIMEOUT ?= 10

FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# The lint stage joins the page target once a colleague's gen/lint.c exists.
FUZZ_DEFS = $(if $(wildcard gen/lint.c),-DFUZZ_LINT)
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -g -O1 $(FUZZ_SAN) \
              $(PKG_CFLAGS) -pthread -Igen $(FUZZ_DEFS)
FUZZ_OBJ = $(LIB_SRC:gen/%.c=build/fuzz/obj/%.o)
FUZZ_BIN = $(FUZZ_TARGETS:%=build/fuzz/%)
FUZZ_ENV = ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: fuzz fuzz-corpus fuzz-build
# Keep the objects: they are intermediate files of the pattern rules.
.SECONDARY: $(FUZZ_OBJ)

build/fuzz/obj/%.o: gen/%.c $(HDR) $(DEPS_STAMP)
	@mkdir -p build/fuzz/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ) $(HDR)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS)

fuzz-build: $(FUZZ_BIN)

# Each target fuzzes from a scratch copy of its corpus (the committed one
# stays as it is); -print_final_stats=1 shows the executions.
fuzz: $(FUZZ_BIN)
	@mkdir -p build/fuzz/artifacts
	@failed=""; for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  mkdir -p build/fuzz/work/$$t; \
	  if $(FUZZ_ENV) build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) \
	      -timeout=$(FUZZ_TIMEOUT) -max_len=$(FUZZ_MAX_LEN) -rss_limit_mb=2560 \
	      -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/$$t- \
	      build/fuzz/work/$$t tests/fuzz/corpus/$$t >build/fuzz/$$t.log 2>&1; then \
	    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done )' build/fuzz/$$t.log; \
	  else \
	    failed="$$failed $$t"; \
	    grep -E -A40 '^==[0-9]+==ERROR|runtime error|^SUMMARY|Test unit written|ALARM|timeout' \
	      build/fuzz/$$t.log | head -80; \
	  fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: findings in:$$failed (logs in build/fuzz/)"; exit 1; fi; \
	echo "fuzz: no findings in $(FUZZ_TARGETS)"

# Every committed input once: -runs=0 executes the corpus and stops.
fuzz-corpus: $(FUZZ_BIN)
	@mkdir -p build/fuzz/artifacts
	@failed=""; for t in $(FUZZ_TARGETS); do \
	  if $(FUZZ_ENV) build/fuzz/$$t -runs=0 -timeout=$(FUZZ_TIMEOUT) \
	      -rss_limit_mb=2560 -artifact_prefix=build/fuzz/artifacts/$$t- \
	      tests/fuzz/corpus/$$t >build/fuzz/$$t.corpus.log 2>&1; then \
	    echo "fuzz corpus $$t: $$(ls tests/fuzz/corpus/$$t | wc -l) inputs, no findings"; \
	  else \
	    failed="$$failed $$t"; \
	    echo "fuzz corpus $$t: FINDING (log: build/fuzz/$$t.corpus.log)"; \
	    grep -E -A12 '^==[0-9]+==ERROR|runtime error|ALARM' \
	      build/fuzz/$$t.corpus.log | head -40; \
	  fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz corpus: findings in:$$failed"; exit 1; fi
