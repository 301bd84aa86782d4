#!/bin/sh
# Installs (or upgrades, or removes) the thrum device daemon from an unpacked `thrum pack` tree:
#
#   sudo ./install.sh                       install or upgrade; enables the service, does not start it
#   sudo ./install.sh --check --restart     upgrade, refuse it when `thrum run --check-config` fails, restart
#   sudo ./install.sh --config thrum.yaml --bundle ./bundle --check --restart      (what `thrum deploy` runs)
#   sudo ./install.sh --uninstall [--purge] stop and remove; --purge also deletes config and state
#
# Layout: /opt/thrum/<version> (this tree), /opt/thrum/current -> <version> (switched atomically; the one
# before stays as /opt/thrum/previous), /etc/thrum/thrum.yaml (written from the template once, never
# overwritten unless --config is given), /var/lib/thrum/{bundles/,outbox.db} (the outbox is never touched),
# /etc/systemd/system/thrum.service, a `thrum` system user in the dialout group. Running it twice changes
# nothing. With --check a failing check puts everything back as it was (the running daemon is not touched)
# and exits 2.
#
# Tests and staging: THRUM_ROOT=/some/dir (or --prefix DIR) installs under that directory instead of /,
# without creating the user, changing owners or calling systemctl. THRUM_RESTART_CMD replaces
# `systemctl restart thrum` (for --restart).
set -eu

say() { printf 'install: %s\n' "$*"; }
die() {
  printf 'install: %s\n' "$*" >&2
  exit "${2:-1}"
}

root=${THRUM_ROOT:-/}
check=no
restart=no
uninstall=no
purge=no
new_config=
new_bundle=
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) root=${2:?--prefix needs a directory}; shift ;;
    --prefix=*) root=${1#--prefix=} ;;
    --check) check=yes ;;
    --restart) restart=yes ;;
    --config) new_config=${2:?--config needs a file}; shift ;;
    --bundle) new_bundle=${2:?--bundle needs a directory}; shift ;;
    --uninstall) uninstall=yes ;;
    --purge) purge=yes ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" 2 ;;
  esac
  shift
done

root=${root%/}
system=no
[ -z "$root" ] && system=yes
here=$(dirname -- "$(readlink -f -- "$0")")
opt=$root/opt/thrum
etc=$root/etc/thrum
state=$root/var/lib/thrum
unit=$root/etc/systemd/system/thrum.service

if [ "$system" = yes ] && [ "$(id -u)" != 0 ]; then die "run me as root (sudo $0 $*)" 2; fi
have() { command -v "$1" >/dev/null 2>&1; }
systemd_up() { [ "$system" = yes ] && have systemctl && [ -d /run/systemd/system ]; }

if [ "$uninstall" = yes ]; then
  if systemd_up; then
    systemctl disable --now thrum 2>/dev/null || true
  fi
  rm -f "$unit"
  systemd_up && systemctl daemon-reload
  rm -rf "$opt"
  if [ "$purge" = yes ]; then
    rm -rf "$etc" "$state"
    if [ "$system" = yes ] && id thrum >/dev/null 2>&1; then userdel thrum || true; fi
    say "removed thrum, its config, its state (outbox) and its user"
  else
    say "removed thrum; kept $etc and $state (outbox, bundles): --purge removes them too"
  fi
  exit 0
fi

version=$(cat "$here/VERSION")
[ -n "$version" ] || die "$here/VERSION is empty: not a thrum pack tree" 2
if have sha256sum; then
  (cd "$here" && sha256sum --check --quiet --strict MANIFEST) ||
    die "$here does not match its MANIFEST (a file is damaged or was changed): unpack the tarball again" 2
fi

# --- the user and the directories --------------------------------------------------------------------------
if [ "$system" = yes ]; then
  if ! getent group dialout >/dev/null; then groupadd --system dialout; fi
  if ! id thrum >/dev/null 2>&1; then
    nologin=$(command -v nologin || echo /usr/sbin/nologin)
    useradd --system --no-create-home --home-dir /var/lib/thrum --shell "$nologin" --user-group \
      --groups dialout thrum
    say "created system user thrum (groups: dialout)"
  elif ! id -nG thrum | tr ' ' '\n' | grep -qx dialout; then
    usermod -a -G dialout thrum
    say "added user thrum to dialout"
  fi
fi
owner() { # owner USER:GROUP MODE PATH: applied on a real install only
  if [ "$system" = yes ]; then chown "$1" "$3"; fi
  chmod "$2" "$3"
}
mkdir -p "$opt" "$etc" "$state/bundles" "$(dirname "$unit")"
owner root:thrum 750 "$etc"
owner thrum:thrum 750 "$state"
owner thrum:thrum 750 "$state/bundles"

# --- this version's tree: /opt/thrum/<version> -------------------------------------------------------------
dest=$opt/$version
if [ -f "$dest/MANIFEST" ] && cmp -s "$dest/MANIFEST" "$here/MANIFEST"; then
  say "version $version already in $dest"
else
  tmp=$opt/.$version.tmp.$$
  rm -rf "$tmp"
  mkdir -p "$tmp"
  (cd "$here" && tar cf - .) | (cd "$tmp" && tar xf -)
  [ "$system" = yes ] && chown -R root:root "$tmp"
  chmod -R go-w "$tmp"
  rm -rf "$dest"
  mv "$tmp" "$dest"
  say "installed version $version in $dest"
fi

# --- switch: current (and config, bundle) -- undone when the check fails -----------------------------------
old=
[ -L "$opt/current" ] && old=$(readlink "$opt/current")
swap_link() { # swap_link TARGET LINK: atomic (rename over the old link)
  ln -sfn "$1" "$2.new.$$"
  mv -f -T "$2.new.$$" "$2" 2>/dev/null || { rm -f "$2"; mv -f "$2.new.$$" "$2"; }
}
old_bundle=
[ -L "$state/bundles/current" ] && old_bundle=$(readlink "$state/bundles/current")
config_saved=no

rollback() {
  if [ -n "$old" ]; then swap_link "$old" "$opt/current"; else rm -f "$opt/current"; fi
  if [ -n "$new_bundle" ]; then
    if [ -n "$old_bundle" ]; then swap_link "$old_bundle" "$state/bundles/current"; else rm -f "$state/bundles/current"; fi
  fi
  if [ "$config_saved" = yes ]; then mv -f "$etc/thrum.yaml.rollback" "$etc/thrum.yaml"; fi
}

if [ -n "$new_bundle" ]; then
  [ -f "$new_bundle/manifest.json" ] || die "$new_bundle has no manifest.json: not a model bundle" 2
  bundle_id=$(sed -n 's/.*"bundleId"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$new_bundle/manifest.json" | head -n 1)
  [ -n "$bundle_id" ] || die "$new_bundle/manifest.json has no bundleId" 2
  if [ ! -f "$state/bundles/$bundle_id/manifest.json" ]; then
    rm -rf "$state/bundles/.$bundle_id.tmp"
    mkdir -p "$state/bundles/.$bundle_id.tmp"
    (cd "$new_bundle" && tar cf - .) | (cd "$state/bundles/.$bundle_id.tmp" && tar xf -)
    [ "$system" = yes ] && chown -R thrum:thrum "$state/bundles/.$bundle_id.tmp"
    mv "$state/bundles/.$bundle_id.tmp" "$state/bundles/$bundle_id"
    say "installed bundle $bundle_id in $state/bundles/$bundle_id"
  fi
  swap_link "$bundle_id" "$state/bundles/current"
fi

if [ -n "$new_config" ]; then
  if [ -f "$etc/thrum.yaml" ] && cmp -s "$new_config" "$etc/thrum.yaml"; then
    :
  else
    if [ -f "$etc/thrum.yaml" ]; then
      cp -p "$etc/thrum.yaml" "$etc/thrum.yaml.rollback"
      config_saved=yes
    fi
    cp "$new_config" "$etc/thrum.yaml.new.$$"
    owner root:thrum 640 "$etc/thrum.yaml.new.$$"
    mv -f "$etc/thrum.yaml.new.$$" "$etc/thrum.yaml"
    say "installed config $etc/thrum.yaml from $new_config"
  fi
elif [ ! -f "$etc/thrum.yaml" ]; then
  cp "$here/thrum.yaml.template" "$etc/thrum.yaml"
  owner root:thrum 640 "$etc/thrum.yaml"
  say "wrote $etc/thrum.yaml from the template: edit device.id, serial and mqtt, then check it"
fi

swap_link "$version" "$opt/current"

as_thrum() { # the checks run as the daemon's user (file permissions included)
  if [ "$system" = yes ] && have runuser; then runuser -u thrum -- "$@"; else "$@"; fi
}
if [ "$check" = yes ]; then
  # First the native parts (glibc, Node ABI), then config and bundle. Paths in the config are absolute
  # (/var/lib/thrum/...): under THRUM_ROOT the config given must point into that root.
  cmd="$opt/current/bin/thrum self-test"
  out=$(as_thrum "$opt/current/bin/thrum" self-test 2>&1) || status=$?
  if [ "${status:-0}" = 0 ]; then
    cmd="$opt/current/bin/thrum run --config $etc/thrum.yaml --check-config"
    out="$out
$(as_thrum "$opt/current/bin/thrum" run --config "$etc/thrum.yaml" --check-config 2>&1)" || status=$?
  fi
  if [ "${status:-0}" != 0 ]; then
    rollback
    printf '%s\n' "$out" >&2
    die "check failed ($cmd, exit ${status}): kept ${old:-nothing} as the current version, the config and bundle as they were; the running daemon was not touched" 2
  fi
  printf '%s\n' "$out"
fi
rm -f "$etc/thrum.yaml.rollback"

if [ -n "$old" ] && [ "$old" != "$version" ]; then
  swap_link "$old" "$opt/previous"
  say "current -> $version (previous -> $old)"
else
  say "current -> $version"
fi
# Keep current and previous; older versions go.
keep_prev=
[ -L "$opt/previous" ] && keep_prev=$(readlink "$opt/previous")
for d in "$opt"/*; do
  if [ ! -d "$d" ] || [ -L "$d" ]; then continue; fi
  v=$(basename "$d")
  if [ "$v" != "$version" ] && [ "$v" != "$keep_prev" ]; then
    rm -rf "$d"
    say "removed old version $v"
  fi
done

# --- the systemd unit -------------------------------------------------------------------------------------
if ! cmp -s "$here/thrum.service" "$unit" 2>/dev/null; then
  cp "$here/thrum.service" "$unit.new.$$"
  chmod 644 "$unit.new.$$"
  mv -f "$unit.new.$$" "$unit"
  say "installed $unit"
fi
if systemd_up; then
  systemctl daemon-reload
  systemctl enable thrum >/dev/null 2>&1 || true
fi
if [ "$restart" = yes ]; then
  if [ -n "${THRUM_RESTART_CMD:-}" ]; then
    sh -c "$THRUM_RESTART_CMD"
    say "restarted ($THRUM_RESTART_CMD)"
  elif systemd_up; then
    systemctl restart thrum
    say "restarted thrum.service"
  else
    say "no systemd here: start it yourself ($opt/current/bin/thrum run --config /etc/thrum/thrum.yaml)"
  fi
elif systemd_up; then
  say "enabled thrum.service; start it: systemctl start thrum (logs: journalctl -u thrum -f)"
fi
