#!/bin/sh
# Installs the Debian packages trp needs that this machine lacks.
# Usage: scripts/deps.sh [build|check|fuzz|bench]...   (default: build)
# Package lists per purpose live here and nowhere else.
set -eu

build_pkgs="cmake ninja-build gcc pkg-config libjansson-dev libsqlite3-dev libmicrohttpd-dev libcairo2-dev libsodium-dev libpq-dev libcrack2-dev cracklib-runtime libqrencode-dev"
check_pkgs="$build_pkgs libcmocka-dev jq sqlite3 bsdutils procps curl poppler-utils libxml2-utils chromium postgresql pgbouncer"
fuzz_pkgs="$build_pkgs clang libclang-rt-14-dev"
bench_pkgs="$build_pkgs wrk nginx-light curl postgresql"

want=""
[ $# -gt 0 ] || set -- build
for purpose in "$@"; do
	case "$purpose" in
	build) want="$want $build_pkgs" ;;
	check) want="$want $check_pkgs" ;;
	fuzz) want="$want $fuzz_pkgs" ;;
	bench) want="$want $bench_pkgs" ;;
	*) echo "deps.sh: unknown purpose '$purpose' (expected build, check, fuzz or bench)" >&2; exit 2 ;;
	esac
done

missing=""
# The browser tests need node and npm. Some machines carry a nodejs package that bundles
# npm; installing Debian's npm beside it would clash, so both are added only when the
# npm command is missing.
case " $want " in
*" chromium "*) command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm" ;;
esac
for p in $want; do
	case " $missing " in *" $p "*) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "deps.sh: installing:$missing" >&2
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || { echo "deps.sh: need root (or sudo) to install:$missing" >&2; exit 1; }
		sudo="sudo"
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get -o DPkg::Lock::Timeout=900 update -qq
	# shellcheck disable=SC2086
	$sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends $missing
fi

# The browser tests' node modules (playwright-core, pinned in package-lock.json), once
# per checkout: here, with the real home's npm cache, and not in the tests, which run
# with a home of their own.
case " $* " in
*" check "*)
	web="$(cd "$(dirname "$0")/.." && pwd)/tests/web"
	if [ ! -f "$web/node_modules/playwright-core/package.json" ]; then
		echo "deps.sh: installing the browser tests' node modules (npm ci)" >&2
		(cd "$web" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) ||
			{ echo "deps.sh: npm ci failed in $web" >&2; exit 1; }
	fi
	;;
esac
