#!/usr/bin/env bash
# Install the Debian packages the tests use (chromium for the browser tests, raptor2-utils for
# `rapper`, the independent RDF parser, and Virtuoso's server and SQL client, the third SPARQL
# engine the saved queries are compared on) when they are missing. Needs root or sudo; when neither
# is available it says so and the tests that need these programs skip with that reason
# (except under CI=true, where the test suite treats a missing program as a failure).
#
# Virtuoso comes as virtuoso-opensource-7-bin only (virtuoso-t, isql-vt): the full
# virtuoso-opensource package would ask for a DBA password (debconf) and start a system service on
# ports 1111 and 8890; the tests start a private server of their own on free ports instead.
set -u
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rapper >/dev/null 2>&1 || missing+=(raptor2-utils)
{ command -v virtuoso-t && command -v isql-vt; } >/dev/null 2>&1 || missing+=(virtuoso-opensource-7-bin)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
  echo "install-system-deps: cannot install ${missing[*]} (not root, no sudo); the tests that need them will skip" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: no apt-get here; install ${missing[*]} by hand" >&2
  exit 0
fi
echo "install-system-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq >/dev/null 2>&1 || true
for package in "${missing[@]}"; do  # one at a time: a package this release lacks does not stop the others
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$package" >/dev/null 2>&1 \
    || echo "install-system-deps: apt-get install $package failed; the tests that need it will skip" >&2
done
exit 0
