#!/usr/bin/env bash
# Runs one simulation against the service started by this script's caller (lib.sh functions) -
# used by run-all.sh: start_sampler, run_sim, stop_sampler, audit.
# usage: scenario.sh NAME CLASS [-Dprop=value ...]   (needs SVC_DB_URL in the environment)
source "$(dirname "$0")/lib.sh"
name="$1" cls="$2"; shift 2
SVC_DB_URL="${SVC_DB_URL:?SVC_DB_URL}"
start_sampler "$name"
run_sim "$cls" "$name" "$@"
stop_sampler
audit "$name" "$SVC_DB_URL"
