#!/bin/sh
# Installs Callsheet from this folder for every user of the machine (run as root), or
# for the current user only with --user. Silent: no questions asked.
#   sudo ./install.sh          -> /opt/callsheet, /usr/local/bin/callsheet, menu entry
#   ./install.sh --user        -> ~/.local/opt/callsheet, ~/.local/bin/callsheet
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" = "--user" ]; then
  prefix="$HOME/.local/opt/callsheet"; bin="$HOME/.local/bin"
  apps="$HOME/.local/share/applications"; icons="$HOME/.local/share/icons/hicolor/256x256/apps"
else
  if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run as root for all users (sudo ./install.sh), or use --user" >&2
    exit 1
  fi
  prefix="/opt/callsheet"; bin="/usr/local/bin"
  apps="/usr/share/applications"; icons="/usr/share/icons/hicolor/256x256/apps"
fi
for folder in "$prefix" "$bin" "$apps" "$icons"; do
  mkdir -p "$folder" 2>/dev/null || { echo "install.sh: cannot write to $folder" >&2; exit 1; }
done
rm -rf "$prefix.new"
cp -a "$here/Callsheet" "$prefix.new"
rm -rf "$prefix" && mv "$prefix.new" "$prefix"
ln -sf "$prefix/callsheet" "$bin/callsheet"
sed "s|^Exec=.*|Exec=$prefix/callsheet|" "$here/callsheet.desktop" > "$apps/callsheet.desktop"
cp "$here/callsheet.png" "$icons/callsheet.png"
echo "Callsheet installed in $prefix"
