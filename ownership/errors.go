package ownership

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error this package returns matches one of them with
// errors.Is; most come wrapped in a *NotOwnerError that says who asked and who
// holds the object.
var (
	// ErrNotOwner: the caller does not own the object (any *NotOwnerError).
	ErrNotOwner = errors.New("ownership: not the owner")
	// ErrOwned: the object is owned by another live owner at its current
	// epoch (Claim does not wait; use Steal).
	ErrOwned = errors.New("ownership: object is owned by another live owner")
	// ErrNotFree: Adopt of an object that is not free.
	ErrNotFree = errors.New("ownership: object is not free")
	// ErrStealInProgress: another owner is stealing (or thawing) the object.
	ErrStealInProgress = errors.New("ownership: steal in progress")
	// ErrFrozen: the object is frozen (read-only); exclusive access needs Thaw.
	ErrFrozen = errors.New("ownership: object is frozen")
	// ErrNotFrozen: Thaw of an object that is not frozen.
	ErrNotFrozen = errors.New("ownership: object is not frozen")
	// ErrOwnerClosed: the target owner of a Transfer has been closed, or
	// the calling owner itself has (Close, Retire, the GC): a closed owner
	// takes nothing.
	ErrOwnerClosed = errors.New("ownership: owner closed")
)

// NotOwnerError reports that owner Caller could not use (or take) an object
// because of its state Holder. errors.Is(err, ErrNotOwner) is always true;
// Err, when set, is the more precise reason (ErrOwned, ErrNotFree,
// ErrStealInProgress, ErrFrozen, ErrNotFrozen, or ErrOwnerClosed when the
// caller itself is closed) and is reached by Unwrap.
type NotOwnerError struct {
	Caller     uint32 // id of the owner that asked
	CallerName string // its name, if it has one
	Holder     State  // snapshot of the object's state when the request failed
	Err        error  // precise reason, or nil for a plain "not the owner"
}

func (e *NotOwnerError) Error() string {
	var b strings.Builder
	if e.Err == ErrOwnerClosed {
		fmt.Fprintf(&b, "ownership: owner %s is closed and takes nothing: the object is %s", label(e.Caller, e.CallerName), e.Holder)
		return b.String()
	}
	fmt.Fprintf(&b, "ownership: owner %s does not own the object: %s", label(e.Caller, e.CallerName), e.Holder)
	if e.Err != nil {
		b.WriteString(" (")
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "ownership: "))
		b.WriteString(")")
	}
	return b.String()
}

// Is reports true for ErrNotOwner.
func (e *NotOwnerError) Is(target error) bool { return target == ErrNotOwner }

// Unwrap returns the precise reason, if any.
func (e *NotOwnerError) Unwrap() error { return e.Err }

func notOwner(caller *Owner, h *Header, reason error) error {
	return &NotOwnerError{Caller: caller.id, CallerName: caller.c.name, Holder: h.State(), Err: reason}
}

// callerClosed is the error of a taking call (Claim, Adopt, Steal, Thaw,
// ...) by a closed owner: it wraps both ErrNotOwner and ErrOwnerClosed.
func callerClosed(caller *Owner, h *Header) error {
	return notOwner(caller, h, ErrOwnerClosed)
}

func ownerClosedError(op string, id uint32) error {
	return fmt.Errorf("ownership: %s to owner %d: %w", op, id, ErrOwnerClosed)
}

func ctxError(op string, h *Header, err error) error {
	return fmt.Errorf("ownership: %s interrupted (object rolled back to %s): %w", op, h.State(), err)
}
