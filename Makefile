# The README's commands. The real build is CMake + Ninja; this file only strings it together.
#   make run     install what is missing, build, start the web app (ARGS="..." runs another command)
#   make check   install what is missing, build, run every test; then again under ASan + UBSan
#   make bench   build optimised and print the benchmark figures
#   make fuzz    run each fuzz target briefly (FUZZ_SECONDS, default 20)

BUILD        ?= build
ASAN_BUILD   ?= build-asan
BENCH_BUILD  ?= build-bench
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 20
ARGS         ?= serve
JOBS         ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all build run check test test-asan bench fuzz clean

all: build

build:
	@scripts/deps.sh build
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD)

run: build
	./$(BUILD)/trp $(ARGS)

check:
	@scripts/deps.sh check
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRP_TESTS=ON >/dev/null
	@cmake --build $(BUILD)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@echo "find model on textbook pain maps (targets: top-1 >= 75%, top-3 >= 95%):"
	@$(BUILD)/tests/find_eval tests/find/vignettes.tsv
	@$(BUILD)/tests/find_eval tests/find/holdout.tsv
	@echo "find model on the most common source of one region or symptom (target: top-3 >= 90%):"
	@$(BUILD)/tests/find_eval tests/find/common.tsv
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTRP_TESTS=ON -DTRP_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

bench:
	@scripts/deps.sh bench
	@cmake -S . -B $(BENCH_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRP_BENCH=ON >/dev/null
	@cmake --build $(BENCH_BUILD)
	@BUILD=$(BENCH_BUILD) bench/run.sh

fuzz:
	@scripts/deps.sh fuzz
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTRP_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD)
	@FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(BENCH_BUILD) $(FUZZ_BUILD)
