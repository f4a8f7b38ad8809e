#!/usr/bin/env bash
# Build dist/vaclient_<version>_<arch>.deb from a PyInstaller one-folder build.
#
# The package holds a self-contained runtime in /opt/vaclient (Python and Qt
# included), the CLI on PATH (/usr/bin/vaclient), a desktop entry, an
# autostart entry for the tray, and the icon. Run from any folder; needs the
# development environment of scripts/bootstrap.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}

VERSION=$("$PY" -c 'import vaclient; print(vaclient.__version__)')
ARCH=$(dpkg --print-architecture)
OUT=${OUT_DIR:-$ROOT/dist}
BUILD=$ROOT/build/deb
PKG=$BUILD/vaclient_${VERSION}_${ARCH}

"$PY" -m pip install -q 'pyinstaller>=6.5'
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$BUILD/pyinstaller-dist" --workpath "$BUILD/pyinstaller-work" \
  installers/pyinstaller/vaclient.spec

rm -rf "$PKG"
install -d "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" \
  "$PKG/usr/share/applications" "$PKG/etc/xdg/autostart" \
  "$PKG/usr/share/icons/hicolor/scalable/apps" "$PKG/usr/share/doc/vaclient"
cp -a "$BUILD/pyinstaller-dist/vaclient" "$PKG/opt/vaclient"
ln -s /opt/vaclient/vaclient "$PKG/usr/bin/vaclient"
ln -s /opt/vaclient/vaclient-tray "$PKG/usr/bin/vaclient-tray"
install -m 0644 installers/linux/vaclient.desktop "$PKG/usr/share/applications/"
install -m 0644 installers/linux/vaclient-autostart.desktop \
  "$PKG/etc/xdg/autostart/vaclient-tray.desktop"
install -m 0644 resources/icons/vaclient.svg \
  "$PKG/usr/share/icons/hicolor/scalable/apps/vaclient.svg"
install -m 0644 README.md "$PKG/usr/share/doc/vaclient/README.md"

SIZE_KB=$(du -sk "$PKG" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE_KB/" \
  installers/linux/control.in > "$PKG/DEBIAN/control"
install -m 0755 installers/linux/postinst "$PKG/DEBIAN/postinst"
install -m 0755 installers/linux/postrm "$PKG/DEBIAN/postrm"

mkdir -p "$OUT"
dpkg-deb --build --root-owner-group -Zxz "$PKG" "$OUT/vaclient_${VERSION}_${ARCH}.deb" >/dev/null
echo "$OUT/vaclient_${VERSION}_${ARCH}.deb"
