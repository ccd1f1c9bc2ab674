# Sourced by the CI scripts, not run.
#
# sigstore_python ROOT: installs sigstore-python 4.5.1 from PyPI into ROOT/.build/interop-venv
# (once) and prints the path of its `sigstore` command; fails loudly if it did not install.
sigstore_python() {
    local venv=$1/.build/interop-venv
    if [ ! -x "$venv/bin/sigstore" ] || ! "$venv/bin/sigstore" --version 2>/dev/null | grep -q "4.5.1"; then
        python3 -m venv "$venv" >&2
        "$venv/bin/pip" install -q "sigstore==4.5.1" >&2
    fi
    "$venv/bin/sigstore" --version 2>/dev/null | grep -q "4.5.1" || { echo "sigstore 4.5.1 did not install" >&2; return 1; }
    echo "$venv/bin/sigstore"
}
