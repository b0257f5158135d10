#!/usr/bin/env bash
# check.sh: model-check the channel lifecycle (lifecycle.pml) with SPIN.
#
# Runs every verification below in its own temp dir (JOBS at a time,
# default 2), fails if any proof does not end with "errors: 0", and runs the
# mutants expecting SPIN to find their bug (so the checker has teeth), and
# the hazards expecting SPIN to find the known defect they describe. On a
# failure it prints the counterexample with `spin -t -p`. The driver is
# internal/spincheck/run.sh, shared with the ownership model.
# Needs spin and a C compiler on PATH; installs nothing. Each pan run is
# capped at MEMLIM MiB (default 2048): two at a time stay within ~4.5 GB.
#
#   internal/endpoint/model/check.sh            # all runs (see README.md for times)
#   JOBS=1 internal/endpoint/model/check.sh     # sequential
#   internal/endpoint/model/check.sh one-lane-safety mutant-open-senders   # selected runs
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
spin_label=lifecycle
spin_model=lifecycle.pml
spin_depth=1000000
# Proofs start with 2^24 hash slots (pan grows the table when it fills),
# mutants (which stop at their first error) 2^22.
spin_hash=24
spin_mutant_hash=22
spin_memlim=2048
# Runs named rx-* check receivers.pml (several receivers on one lane: its
# claim and the door of the receive wait), except rx-stop*, lifecycle.pml's
# RX_STOP runs (named before receivers.pml existed), rv-* rendezvous.pml (the
# capacity-0 channel: offers, TrySend's give-up, the Select-sender wake),
# ret-* returned.pml (the pool of returned items and the pending word of
# several receivers), the others lifecycle.pml.
spin_source() {
	case $1 in
	rx-stop*) echo "$here/$spin_model" ;; # lifecycle.pml's RX_STOP runs
	rx-*) echo "$here/receivers.pml" ;;
	rv-*) echo "$here/rendezvous.pml" ;;
	ret-*) echo "$here/returned.pml" ;;
	*) echo "$here/$spin_model" ;;
	esac
}

# name | kind | expect | spin -D flags [| extra cc flags] (see run.sh)
#   kind:   stuck: with RX_STOP the Monitor's assertion says when a blocked
#           end is wrong
#   cc:     -O0 by default: this model's pan.c takes ~8 s of CPU to compile
#           at -O2 and ~1.5 s at -O0, and -O2 wins that back only above
#           ~10^7 states (OPT=-O2 for bigger runs by hand); -O2 for the
#           runs whose search outweighs the compile (the LTL ones, the
#           largest); -DCOLLAPSE near 10^7 states (half the memory, a
#           third more time)
# Longest runs first, so that two jobs finish together.
runs=(
	"one-lane-live|liveness|ok|-DNO_TIMEOUT -DNO_WIT|-O2"
	"one-lane-safety|safety|ok||-O2 -DCOLLAPSE"
	"one-lane-notimeout|safety|ok|-DNO_TIMEOUT|-DCOLLAPSE"
	"owned-safety|safety|ok|-DOWNED_SEND"
	"clone-close|safety|ok|-DNL=2 -DK=1 -DCLONE -DCO_CLOSE -DP_NOCLOSE -DNO_TIMEOUT"
	"release-publish|safety|ok|-DRELEASE_PUBLISH -DFULL_AFTER_ANNOUNCE -DOWNED_SEND -DNO_TIMEOUT"
	"two-lane-close|safety|ok|-DNL=2 -DK=1 -DCO_CLOSE -DP_NOCLOSE -DNO_TIMEOUT"
	"owned-notimeout|safety|ok|-DOWNED_SEND -DNO_TIMEOUT"
	"two-lane-disc|safety|ok|-DNL=2 -DK=1 -DCO_DISC -DP_NOCLOSE -DNO_TIMEOUT"
	"fanin-live|liveness|ok|-DNL=2 -DK=1 -DNO_COORD -DNO_TIMEOUT|-O2"
	"old-parker|safety|ok|-DOLD_PARKER -DOWNED_SEND -DNO_TIMEOUT"
	"one-lane-cap2|safety|ok|-DCAP=2 -DK=2 -DNO_TIMEOUT"
	"rx-stop-release|stuck|ok|-DRX_STOP=1 -DRELEASE_PUBLISH -DFULL_AFTER_ANNOUNCE -DNO_TIMEOUT"
	"rx-stop|stuck|ok|-DRX_STOP=1 -DNO_TIMEOUT"
	"one-lane-rxclose|safety|ok|-DRX_CLOSE -DCO_CLOSE -DNO_TIMEOUT"
	"one-lane-rxclose-disc|safety|ok|-DRX_CLOSE -DCO_DISC -DNO_TIMEOUT"
	"mutant-offer-noseq|safety|assert|-DBROKEN_OFFER_NOSEQ -DK=3"
	"hazard-stats-fold|safety|assert|-DHAZARD_STATS_FOLD -DOWNED_SEND -DNL=2 -DK=2 -DCO_CLOSE -DP_NOCLOSE -DNO_TIMEOUT"
	"mutant-lanes-first|safety|assert|-DBROKEN_LANES_FIRST -DNL=2 -DK=1 -DCLONE -DNO_COORD"
	"mutant-offer-noempty|safety|assert|-DBROKEN_OFFER_NOEMPTY"
	"mutant-withdraw-nowait|safety|assert|-DBROKEN_WITHDRAW_NOWAIT"
	"mutant-store-publish|safety|assert|-DBROKEN_STORE_PUBLISH"
	"mutant-no-mark-check|safety|assert|-DBROKEN_NO_MARK_CHECK"
	"mutant-closed-flag|safety|assert|-DBROKEN_CLOSED_FLAG"
	"mutant-closed-no-reload|safety|assert|-DBROKEN_CLOSED_NO_RELOAD -DNL=2 -DK=0 -DK1=1 -DCLONE -DNO_COORD -DNO_TIMEOUT"
	"mutant-open-senders|safety|assert|-DBROKEN_OPEN_SENDERS"
	"mutant-close-two-sections|safety|assert|-DBROKEN_CLOSE_TWO_SECTIONS -DRX_CLOSE -DCO_DISC -DNO_TIMEOUT"
	"mutant-empty-first|safety|assert|-DBROKEN_EMPTY_FIRST"
	"mutant-rc-first|safety|assert|-DBROKEN_RC_FIRST -DCO_DISC"
	"mutant-no-recheck|safety|deadlock|-DBROKEN_NO_RECHECK -DNO_TIMEOUT"
	"mutant-no-recheck-live|liveness|cycle|-DBROKEN_NO_RECHECK -DNO_TIMEOUT"
	"mutant-old-no-wake-cas|safety|deadlock|-DOLD_PARKER -DOWNED_SEND -DBROKEN_NO_WAKE_CAS -DNO_TIMEOUT"
	"mutant-old-no-cancel|safety|assert|-DOLD_PARKER -DOWNED_SEND -DBROKEN_NO_CANCEL -DNO_TIMEOUT"
	"mutant-old-sleep-no-cancel|safety|assert|-DOLD_PARKER -DOWNED_SEND -DBROKEN_SLEEP_NO_CANCEL"
	"mutant-disc-no-wake|safety|deadlock|-DBROKEN_DISC_NO_WAKE -DCO_DISC -DP_NOCLOSE -DNO_TIMEOUT"
	"mutant-reclaim-empty|safety|assert|-DBROKEN_RECLAIM_EMPTY -DNL=2 -DK=1 -DCO_CLOSE -DP_NOCLOSE"
	"mutant-clone-unlocked|safety|assert|-DBROKEN_CLONE_UNLOCKED -DNL=2 -DK=1 -DCLONE -DCO_CLOSE -DP_NOCLOSE"
	"mutant-release-no-barrier|safety|deadlock|-DRELEASE_PUBLISH -DOWNED_SEND -DNO_COORD -DNO_TIMEOUT"
	"mutant-release-offer|stuck|assert|-DRX_STOP=1 -DRELEASE_PUBLISH -DNO_COORD -DNO_TIMEOUT"
	"rx-two|safety|ok|-DK=3"
	"rx-two-cap2|safety|ok|-DCAP=2 -DK=5"
	"rx-mutant-no-door|safety|deadlock|-DBROKEN_NO_DOOR"
	"rx-mutant-no-recheck|safety|deadlock|-DBROKEN_NO_RECHECK"
	"rx-mutant-no-claim|safety|assert|-DBROKEN_NO_CLAIM"
	"rx-mutant-closed-once|safety|assert|-DBROKEN_NO_CLOSED_RECHECK"
	"rv-send-close|safety|ok|-DCO_CLOSE -DNO_TIMEOUT"
	"rv-send-close-ctx|safety|ok|-DCO_CLOSE"
	"rv-send-disc-ctx|safety|ok|-DCO_DISC"
	"rv-send-disc|safety|ok|-DCO_DISC -DNO_TIMEOUT"
	"rv-send-k2-ctx|safety|ok|-DK=2 -DNO_COORD"
	"rv-try-fanin|safety|ok|-DNL=2 -DMODE1=TRY -DNO_TIMEOUT -DNO_COORD"
	"rv-try-stop|safety|ok|-DNL=2 -DMODE1=TRY -DRX_STOP=1 -DNO_TIMEOUT -DNO_COORD"
	"rv-try-close|safety|ok|-DMODE0=TRY -DCO_CLOSE -DNO_TIMEOUT"
	"rv-try-disc|safety|ok|-DMODE0=TRY -DCO_DISC -DNO_TIMEOUT"
	"rv-select-close|safety|ok|-DMODE0=SELECT -DCO_CLOSE -DNO_TIMEOUT"
	"rv-select-ctx|safety|ok|-DMODE0=SELECT -DNO_COORD"
	"rv-select-both|safety|ok|-DMODE0=SELECT -DRX_SELECT -DCO_DISC -DNO_TIMEOUT"
	"rv-send-live|liveness|ok|-DLTL_DONE -DNO_COORD -DNO_TIMEOUT"
	"rv-select-both-live|liveness|ok|-DLTL_DONE -DMODE0=SELECT -DRX_SELECT -DNO_COORD -DNO_TIMEOUT"
	"rv-select-send-live|liveness|ok|-DLTL_DONE -DMODE0=SELECT -DNO_COORD -DNO_TIMEOUT"
	"rv-mutant-try-woke-only|liveness|cycle|-DBROKEN_TRY_WOKE_ONLY -DOLD_RECV_WAKE -DLTL_DONE -DMODE0=SELECT -DNO_COORD -DNO_TIMEOUT"
	"rv-select-send-live-k2|liveness|ok|-DLTL_DONE -DK=2 -DMODE0=SELECT -DNO_COORD -DNO_TIMEOUT"
	"rv-select-send-live-k3|liveness|ok|-DLTL_DONE -DK=3 -DMODE0=SELECT -DNO_COORD -DNO_TIMEOUT"
	"rv-select-both-live-k2|liveness|ok|-DLTL_DONE -DK=2 -DMODE0=SELECT -DRX_SELECT -DNO_COORD -DNO_TIMEOUT"
	"rv-mutant-done-after-taken|liveness|cycle|-DBROKEN_DONE_AFTER_TAKEN -DLTL_DONE -DK=2 -DMODE0=SELECT -DNO_COORD -DNO_TIMEOUT"
	"rv-select-leave|safety|ok|-DRX_SELECT -DRX_OTHER -DMODE0=TRY -DCO_NONE -DNO_TIMEOUT"
	"rv-mutant-no-wait-ended|safety|deadlock|-DBROKEN_NO_WAIT_ENDED -DRX_SELECT -DRX_OTHER -DMODE0=TRY -DCO_NONE -DNO_TIMEOUT"
	"rv-mutant-no-select-wake|safety|deadlock|-DBROKEN_NO_SELECT_WAKE -DMODE0=SELECT -DNO_TIMEOUT -DNO_COORD"
	"rv-mutant-wake-first|safety|deadlock|-DBROKEN_WAKE_BEFORE_ANNOUNCE -DMODE0=SELECT -DNO_TIMEOUT -DNO_COORD"
	"rv-mutant-waiting-early|safety|deadlock|-DBROKEN_WAITING_BEFORE_ANNOUNCE -DMODE0=SELECT -DNO_TIMEOUT -DNO_COORD"
	"rv-mutant-select-stale|safety|deadlock|-DBROKEN_SELECT_STALE_WAITING -DMODE0=SELECT -DNO_TIMEOUT -DNO_COORD"
	"rv-mutant-try-no-withdraw|safety|assert|-DBROKEN_TRY_NO_WITHDRAW -DRX_SELECT -DRX_OTHER -DMODE0=TRY -DCO_NONE -DNO_TIMEOUT"
	"rv-mutant-withdraw-store|safety|assert|-DBROKEN_WITHDRAW_STORE -DCO_CLOSE -DNO_TIMEOUT"
	"rv-mutant-withdraw-nowait|safety|assert|-DBROKEN_WITHDRAW_NOWAIT -DNO_COORD"
	"rv-mutant-try-no-recvdone|safety|deadlock|-DBROKEN_TRY_NO_RECVDONE -DNL=2 -DMODE1=TRY -DRX_STOP=1 -DNO_TIMEOUT -DNO_COORD"
	"rv-mutant-done-late|safety|deadlock|-DBROKEN_DONE_LATE -DNL=2 -DMODE1=TRY -DRX_STOP=1 -DNO_TIMEOUT -DNO_COORD"
	"rv-mutant-offer-item-late|safety|assert|-DBROKEN_OFFER_ITEM_LATE -DNO_COORD -DNO_TIMEOUT"
	"rv-mutant-send-no-closed|safety|deadlock|-DBROKEN_SEND_NO_CLOSED_COND -DCO_DISC -DNO_TIMEOUT"
	"ret-closed-k3|safety|ok|-DK=3"
	"ret-sender-k3-mine|safety|ok|-DSENDER -DK=3 -DKINDS=2"
	"ret-sender|safety|ok|-DSENDER"
	"ret-sender-k3-ext|safety|ok|-DSENDER -DK=3 -DKINDS=1"
	"ret-closed|safety|ok|"
	"ret-mutant-unsettle-late|safety|assert|-DBROKEN_UNSETTLE_AFTER_UNLOCK"
	"ret-mutant-settle-early|safety|assert|-DBROKEN_SETTLE_BEFORE_PUSH"
	"ret-mutant-remove-2steps|safety|assert|-DBROKEN_REMOVE_TWO_STEPS"
	"ret-mutant-pending-early|safety|assert|-DBROKEN_PENDING_BEFORE_SCAN -DSENDER"
)

# shellcheck source=../../spincheck/run.sh
source "$here/../../spincheck/run.sh"
spincheck_main "$@"
