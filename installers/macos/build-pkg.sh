#!/usr/bin/env bash
# Build dist/vaclient-<version>.pkg on macOS from the PyInstaller .app bundle.
#
# Signing and notarisation are optional and driven by the environment:
#   APP_SIGN_IDENTITY  "Developer ID Application: ..."  (codesign the .app)
#   PKG_SIGN_IDENTITY  "Developer ID Installer: ..."    (productsign the .pkg)
#   NOTARY_PROFILE     a keychain profile made with `xcrun notarytool store-credentials`
# Without them the .pkg is unsigned, which is fine for testing only.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
VERSION=$("$PY" -c 'import vaclient; print(vaclient.__version__)')
BUILD=$ROOT/build/macos
OUT=${OUT_DIR:-$ROOT/dist}

"$PY" -m pip install -q 'pyinstaller>=6.5'
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$BUILD/dist" --workpath "$BUILD/work" installers/pyinstaller/vaclient.spec

APP="$BUILD/dist/vaclient.app"
if [ -n "${APP_SIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp \
    --entitlements installers/macos/entitlements.plist \
    --sign "$APP_SIGN_IDENTITY" "$APP"
fi

rm -rf "$BUILD/root" && mkdir -p "$BUILD/root/Applications"
cp -R "$APP" "$BUILD/root/Applications/"
pkgbuild --root "$BUILD/root" --identifier org.vaclient.vaclient.pkg \
  --version "$VERSION" --install-location / \
  --scripts installers/macos/scripts "$BUILD/vaclient-component.pkg"
productbuild --package "$BUILD/vaclient-component.pkg" \
  "$BUILD/vaclient-unsigned.pkg"

mkdir -p "$OUT"
PKG="$OUT/vaclient-$VERSION.pkg"
if [ -n "${PKG_SIGN_IDENTITY:-}" ]; then
  productsign --sign "$PKG_SIGN_IDENTITY" "$BUILD/vaclient-unsigned.pkg" "$PKG"
  if [ -n "${NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$PKG" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$PKG"
  fi
else
  cp "$BUILD/vaclient-unsigned.pkg" "$PKG"
fi
echo "$PKG"
