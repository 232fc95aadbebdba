#!/usr/bin/env bash
# Builds lictrack in release mode and installs it under PREFIX (default /usr/local):
#
#   PREFIX/bin/lictrack
#   PREFIX/share/man/man1/lictrack.1                      (swift-argument-parser's generate-manual plugin)
#   PREFIX/share/bash-completion/completions/lictrack
#   PREFIX/share/zsh/site-functions/_lictrack
#   PREFIX/share/fish/vendor_completions.d/lictrack.fish
#
#   Scripts/install.sh [PREFIX]            e.g. Scripts/install.sh ~/.local
#   DESTDIR=/tmp/stage Scripts/install.sh /usr     (staged install, for packaging)
#
# Needs Swift 6 and libpq with pkg-config (Debian: apt-get install libpq-dev pkgconf).
# The installed binary needs libpq at run time (Debian: libpq5), nothing else: on
# Linux the Swift runtime is linked in statically (--static-swift-stdlib), so the
# binary runs on machines without a Swift toolchain. It carries its migrations;
# run `lictrack db migrate` against your database after installing or upgrading.
#
# The manual page is made by the generate-manual plugin of swift-argument-parser,
# which comes with the package's dependencies: once `swift build` has fetched
# them, it works offline. If the plugin fails, the rest is still installed and
# the script says so (`lictrack --help` has the same text).
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
readonly ROOT
cd -- "$ROOT"

log() { printf 'install.sh: %s\n' "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
    exit 0
fi
(($# <= 1)) || die "usage: Scripts/install.sh [PREFIX]"

PREFIX=${1:-/usr/local}
PREFIX=${PREFIX%/}
[[ -n $PREFIX ]] || die "PREFIX must not be /"
[[ $PREFIX == /* ]] || PREFIX="$PWD/$PREFIX"
readonly PREFIX
readonly DEST="${DESTDIR:-}$PREFIX"

command -v swift >/dev/null 2>&1 || die "swift not found; install Swift 6 (https://www.swift.org/install/)"

# Fail before the long build when the destination cannot be written.
probe=$DEST
while [[ ! -e $probe ]]; do probe=$(dirname -- "$probe"); done
[[ -w $probe ]] || die "cannot write to $probe; run as a user who can (e.g. with sudo), or choose another PREFIX such as ~/.local"

# --- build -----------------------------------------------------------------

# Everything here happens in scratch directories of its own, never in .build:
# the static flags, and the manual page plugin's build of every product, would
# otherwise invalidate the ordinary build that Scripts/demo.sh, Scripts/test.sh
# and `swift build` keep in .build, and the next of those would start from
# scratch. The plugin gets a directory apart from the binary's, because its
# build (without the static flags) would in turn invalidate the binary's.
# The binary is the one static release build that Scripts/demo.sh and Scripts/bench.sh use too
# (Scripts/lib/release-build.sh, in .build-release).
MANUAL_SCRATCH="$ROOT/.build-manual"
readonly MANUAL_SCRATCH
# shellcheck source-path=SCRIPTDIR source=lib/release-build.sh
source "$ROOT/Scripts/lib/release-build.sh"
log "swift build ${RELEASE_BUILD_ARGS[*]}"
release_build
BIN=$(release_binary)
[[ -x $BIN ]] || die "the build did not produce $BIN"
"$BIN" --version >/dev/null || die "$BIN does not run"

# --- manual page -----------------------------------------------------------

MAN_PAGE=""
log "generating the manual page (swift package --scratch-path $MANUAL_SCRATCH plugin generate-manual)"
if plugin_output=$(swift package --scratch-path "$MANUAL_SCRATCH" plugin generate-manual 2>&1); then
    dir=$(printf '%s\n' "$plugin_output" | sed -n "s|^Generated manual in 'file://\(.*\)'.*|\1|p" | tail -n 1)
    [[ -n $dir && -f "$dir/lictrack.1" ]] || dir="$MANUAL_SCRATCH/plugins/GenerateManual/outputs/lictrack"
    [[ -f "$dir/lictrack.1" ]] && MAN_PAGE="$dir/lictrack.1"
fi
if [[ -z $MAN_PAGE ]]; then
    printf '%s\n' "${plugin_output:-}" | tail -n 15 >&2
    log "warning: the generate-manual plugin failed; installing without a manual page"
fi

# --- install ---------------------------------------------------------------

install -d "$DEST/bin" "$DEST/share/bash-completion/completions" \
    "$DEST/share/zsh/site-functions" "$DEST/share/fish/vendor_completions.d"
install -m 0755 "$BIN" "$DEST/bin/lictrack"
log "installed $DEST/bin/lictrack"

if [[ -n $MAN_PAGE ]]; then
    install -d "$DEST/share/man/man1"
    install -m 0644 "$MAN_PAGE" "$DEST/share/man/man1/lictrack.1"
    log "installed $DEST/share/man/man1/lictrack.1"
fi

tmp=$(mktemp -d)
trap 'rm -rf -- "$tmp"' EXIT
"$BIN" --generate-completion-script bash >"$tmp/bash"
"$BIN" --generate-completion-script zsh >"$tmp/zsh"
"$BIN" --generate-completion-script fish >"$tmp/fish"
install -m 0644 "$tmp/bash" "$DEST/share/bash-completion/completions/lictrack"
install -m 0644 "$tmp/zsh" "$DEST/share/zsh/site-functions/_lictrack"
install -m 0644 "$tmp/fish" "$DEST/share/fish/vendor_completions.d/lictrack.fish"
log "installed bash, zsh and fish completions under $DEST/share"

# --- what next -------------------------------------------------------------

cat <<EOF

lictrack $("$BIN" --version) is installed in $DEST.
EOF
if [[ -z ${DESTDIR:-} ]]; then
    case ":$PATH:" in
    *":$PREFIX/bin:"*) ;;
    *) echo "  Add it to your PATH:   export PATH=\"$PREFIX/bin:\$PATH\"" ;;
    esac
    case $PREFIX in
    /usr | /usr/local) ;;
    *)
        echo "  Manual page:          man -M \"$PREFIX/share/man\" lictrack   (or add $PREFIX/share/man to MANPATH)"
        echo "  bash completion:      source \"$PREFIX/share/bash-completion/completions/lictrack\""
        echo "  zsh completion:       fpath=(\"$PREFIX/share/zsh/site-functions\" \$fpath)   (before compinit)"
        echo "  fish completion:      set -a fish_complete_path \"$PREFIX/share/fish/vendor_completions.d\""
        ;;
    esac
fi
cat <<'EOF'
  Then point it at a database and migrate it:
    export LICTRACK_DATABASE_URL=postgresql://user@host/dbname
    lictrack db migrate
EOF
