#!/usr/bin/env bash
# Validate SARIF files with Microsoft's SARIF Multitool, using GitHub's (Ghas) and the
# SARIF spec's rules.
#
#   scripts/validate-sarif.sh FILE.sarif [FILE.sarif ...]
#
# The Multitool (a self-contained Linux binary from npm) is installed on first use into
# $SARIF_MULTITOOL_DIR (default: ~/.cache/ddb-guard/sarif-multitool). It exits 0 even when
# it finds problems, so this script reads its output log and exits 1 if any file has a
# result of level error or warning (printing them), 2 on a usage or tool failure.
set -euo pipefail

MULTITOOL_VERSION="${SARIF_MULTITOOL_VERSION:-5.7.0}"
DIR="${SARIF_MULTITOOL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ddb-guard/sarif-multitool}"
case "$(uname -s)" in
  Darwin) PLATFORM=darwin ;;
  *) PLATFORM=linux ;;
esac
BIN="$DIR/node_modules/@microsoft/sarif-multitool-$PLATFORM/Sarif.Multitool"
PYTHON="${PYTHON:-python3}"

if [ "$#" -eq 0 ]; then
  echo "usage: $0 FILE.sarif [FILE.sarif ...]" >&2
  exit 2
fi

if [ ! -x "$BIN" ]; then
  if [ -f "$BIN" ]; then
    chmod u+x "$BIN"  # npm may skip the package's postinstall chmod
  else
    command -v npm >/dev/null || { echo "error: npm is needed to install the SARIF Multitool" >&2; exit 2; }
    echo "Installing @microsoft/sarif-multitool@$MULTITOOL_VERSION into $DIR" >&2
    mkdir -p "$DIR"
    npm install --no-save --no-audit --no-fund --prefix "$DIR" \
      "@microsoft/sarif-multitool@$MULTITOOL_VERSION" >&2
    [ -f "$BIN" ] || { echo "error: $BIN not found after npm install" >&2; exit 2; }
    [ -x "$BIN" ] || chmod u+x "$BIN"
  fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

status=0
n=0
for file in "$@"; do
  n=$((n + 1))
  if [ ! -f "$file" ]; then
    echo "$file: no such file" >&2
    status=1
    continue
  fi
  out="$work/$n.sarif"
  # Options go after the positional file (the Multitool misparses some of them otherwise).
  if ! "$BIN" validate "$file" --rule-kind "Ghas;Sarif" -o "$out" >"$work/$n.log" 2>&1 || [ ! -f "$out" ]; then
    cat "$work/$n.log" >&2
    echo "$file: the SARIF Multitool failed" >&2
    status=2
    continue
  fi
  if ! "$PYTHON" - "$file" "$out" <<'PY'
import json
import sys

name, out = sys.argv[1], sys.argv[2]
with open(out, encoding="utf-8-sig") as fh:
    log = json.load(fh)
bad = []
for run in log.get("runs") or []:
    rules = (run.get("tool") or {}).get("driver", {}).get("rules") or []
    for res in run.get("results") or []:
        level = res.get("level", "warning")
        if level not in ("error", "warning"):
            continue
        message = res.get("message") or {}
        text = message.get("text")
        args = [str(a) for a in message.get("arguments") or []]
        if not text and message.get("id"):
            index = res.get("ruleIndex", -1)
            rule = rules[index] if 0 <= index < len(rules) else {}
            template = ((rule.get("messageStrings") or {}).get(message["id"]) or {}).get("text")
            if template:
                text = template
                for i, arg in enumerate(args):
                    text = text.replace("{%d}" % i, arg)
        text = text or " ".join(args)
        where = ""
        for loc in res.get("locations") or []:
            region = (loc.get("physicalLocation") or {}).get("region") or {}
            if region.get("startLine"):
                where = f":{region['startLine']}"
                break
        bad.append(f"{name}{where}: {level} {res.get('ruleId', '?')}: {text}")
for line in bad:
    print(line)
if bad:
    print(f"{name}: {len(bad)} problem(s)")
    sys.exit(1)
print(f"{name}: valid (GitHub code scanning and SARIF rules)")
PY
  then
    [ "$status" -eq 2 ] || status=1
  fi
done
exit "$status"
