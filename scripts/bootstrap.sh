# shellcheck shell=bash
# Sourced by run.sh and test.sh (from the project root): finds a Python >= 3.11, makes .venv
# if it is missing, installs requirements.txt when it changed since the last install, and
# activates .venv. Defines say(), die() and apt_install_missing() for the caller.
# PYTHON=/path/to/python overrides.

say() { printf '%s\n' "$*" >&2; }
die() { say "Error: $*"; exit 1; }

# apt_install_missing WHAT COMMAND PACKAGE...: when COMMAND is not on PATH, install the Debian
# PACKAGEs as root (updating apt's lists if the first try fails). Fails when it could not.
apt_install_missing() {
  local what=$1 command=$2
  shift 2
  command -v "$command" >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  say "Installing $what (apt-get install $*) ..."
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get -qq -o DPkg::Lock::Timeout=120)
  "${apt[@]}" install -y "$@" >/dev/null 2>&1 || { "${apt[@]}" update && "${apt[@]}" install -y "$@" >/dev/null; }
}

# Print the first Python >= 3.11 found (a pyenv shim without that version is skipped).
bootstrap_find_python() {
  local candidate
  for candidate in ${PYTHON:-} python3.11 python3.12 python3.13 python3; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

bootstrap_make_venv() {
  [ -x .venv/bin/python ] && .venv/bin/python -c '' >/dev/null 2>&1 && return 0
  local python
  python=$(bootstrap_find_python) ||
    die "no Python 3.11 or newer found (tried python3.11, python3.12, python3.13, python3).
On Debian/Ubuntu: apt-get install python3 python3-venv"
  "$python" -c 'import venv, ensurepip' >/dev/null 2>&1 ||
    die "$python cannot create virtual environments (its venv/ensurepip module is missing).
On Debian/Ubuntu: apt-get install python3-venv"
  say "Creating the virtual environment .venv with $("$python" --version 2>&1) ..."
  rm -rf .venv
  "$python" -m venv .venv || { rm -rf .venv; die "could not create .venv with $python"; }
}

bootstrap_install_requirements() {
  local stamp=.venv/.requirements.sha256 wanted
  wanted=$(.venv/bin/python -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' requirements.txt)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && return 0
  say "Installing the pinned Python packages from requirements.txt into .venv (first time: about a minute) ..."
  .venv/bin/python -m pip install --disable-pip-version-check --quiet -r requirements.txt ||
    die "pip could not install requirements.txt (see the messages above)"
  printf '%s\n' "$wanted" > "$stamp"
}

bootstrap_make_venv
bootstrap_install_requirements
export VIRTUAL_ENV="$PWD/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
unset PYTHONHOME
