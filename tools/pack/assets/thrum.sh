#!/bin/sh
# thrum device package: runs the bundled CLI (lib/thrum.mjs) with the package's own Node when it has one
# (thrum pack --with-node), else the node on PATH (it must be Node 20: better-sqlite3 is built for it).
# Node flags: THRUM_NODE_OPTIONS (the systemd unit sets the young-generation size there).
here=$(dirname -- "$(readlink -f -- "$0")")
node="$here/../node/bin/node"
if [ ! -x "$node" ]; then
  node=$(command -v node) || {
    echo "thrum: Node.js 20 not found: install it, or deploy a package built with thrum pack --with-node" >&2
    exit 2
  }
fi
# shellcheck disable=SC2086 # THRUM_NODE_OPTIONS is a list of flags
exec "$node" ${THRUM_NODE_OPTIONS:-} "$here/../lib/thrum.mjs" "$@"
