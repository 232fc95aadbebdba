# Scripts/lib/release-build.sh: the one release build of lictrack, shared by Scripts/demo.sh,
# Scripts/install.sh and Scripts/bench.sh (sourced; the caller sets ROOT).
#
#   swift build -c release --product lictrack --scratch-path .build-release [--static-swift-stdlib]
#
# The flags live here and nowhere else:
#   - release, not debug: what users run, and what the benchmark measures;
#   - --static-swift-stdlib on Linux: the Swift runtime linked in, so the binary needs no Swift
#     toolchain where it is installed and starts about 3.5 ms faster than the dynamic build
#     (issue 10; libpq and its dependencies stay shared libraries, as for psql);
#   - .build-release: a scratch directory of its own, so that `swift build`, `swift test` and
#     Scripts/test.sh keep .build for their debug builds, and the three scripts reuse one another's
#     build instead of starting from scratch. (The static link prints a harmless linker warning
#     about mktemp in Foundation.)

RELEASE_BUILD_ARGS=(-c release --product lictrack --scratch-path "$ROOT/.build-release")
if [[ $(uname -s) == Linux ]]; then
    RELEASE_BUILD_ARGS+=(--static-swift-stdlib)
fi
readonly RELEASE_BUILD_ARGS

# Builds the release binary; extra arguments go to swift build.
release_build() { swift build "${RELEASE_BUILD_ARGS[@]}" "$@"; }

# Prints the release binary's path.
release_binary() { printf '%s/lictrack\n' "$(swift build "${RELEASE_BUILD_ARGS[@]}" --show-bin-path)"; }
