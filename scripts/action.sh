#!/usr/bin/env bash
# The shell part of the ddb-guard GitHub Action (action.yml): install ddb-guard from the
# action's own checkout, scan with a SARIF report next to the log, write the Markdown cost
# report to the step summary, and record the exit code for the step that fails the job
# (so the SARIF upload runs first). Inputs come as INPUT_* environment variables:
#   INPUT_PATHS    paths to scan, separated by spaces or newlines (default: .)
#   INPUT_FAIL_ON  error | warning | note | never (default: the config's fail-on)
#   INPUT_CONFIG   a config file (default: discovered)
#   INPUT_SARIF    true: write SARIF for upload-sarif (default: true)
#   INPUT_SUMMARY  true: cost report to $GITHUB_STEP_SUMMARY (default: true)
# ACTION_PATH is the action's checkout (installed unless DDB_GUARD_INSTALL=false).
# Outputs (to $GITHUB_OUTPUT): exit-code, sarif-file.
set -uo pipefail

paths_text="${INPUT_PATHS:-.}"
read -r -d '' -a paths <<<"$paths_text" || true
if [ "${#paths[@]}" -eq 0 ]; then
  paths=(.)
fi

if [ "${DDB_GUARD_INSTALL:-true}" = "true" ]; then
  python3 -m pip install --quiet --disable-pip-version-check "${ACTION_PATH:?ACTION_PATH is not set}" ||
    { echo "::error::ddb-guard could not be installed from ${ACTION_PATH}"; exit 2; }
fi

common=()
if [ -n "${INPUT_CONFIG:-}" ]; then
  common+=(--config "$INPUT_CONFIG")
fi

scan_args=(scan "${paths[@]}" "${common[@]}")
if [ -n "${INPUT_FAIL_ON:-}" ]; then
  scan_args+=(--fail-on "$INPUT_FAIL_ON")
fi
sarif_file=""
if [ "${INPUT_SARIF:-true}" = "true" ]; then
  sarif_file="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/ddb-guard.sarif"
  scan_args+=(--sarif-output "$sarif_file")
fi

ddb-guard "${scan_args[@]}"
code=$?

if [ "${INPUT_SUMMARY:-true}" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  if ! ddb-guard cost "${paths[@]}" "${common[@]}" --format markdown >>"$GITHUB_STEP_SUMMARY"; then
    echo "::warning::ddb-guard cost report failed; see the log"
  fi
fi

if [ -n "$sarif_file" ] && [ ! -s "$sarif_file" ]; then
  sarif_file=""  # the scan stopped before writing it (exit 2): nothing to upload
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "sarif-file=$sarif_file"
  } >>"$GITHUB_OUTPUT"
fi
exit 0
