# Sourced by scripts/run and scripts/test: make .venv (once), install the run-time and
# development requirements (again only when either file changed) and activate it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

pick_python() {
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "需要 Python 3.11 或更高版本 (Python 3.11+ is required)." >&2
    return 1
}

if [ ! -x .venv/bin/python ]; then
    PY="$(pick_python)"
    if ! "$PY" -m venv .venv 2>/dev/null; then
        rm -rf .venv
        # Debian ships venv separately; as root we can add it, otherwise say what is missing.
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            ver="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq
            apt-get install -y -qq --no-install-recommends "python${ver}-venv" \
                || apt-get install -y -qq --no-install-recommends python3-venv
            "$PY" -m venv .venv
        else
            echo "无法创建虚拟环境：请先安装 python3-venv (apt-get install python3-venv)." >&2
            exit 1
        fi
    fi
fi

# shellcheck disable=SC1091
. .venv/bin/activate

stamp=".venv/.requirements.sha256"
want="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-dev.txt
    echo "$want" > "$stamp"
fi
