package ownership

import "context"

// sectionKey is the context key under which With records the headers of the
// enclosing sections of one owner.
type sectionKey struct{ o *Owner }

// section is one With's headers and those of every section around it (for
// the same owner).
type section struct {
	hs []*Header
}

// With runs fn as a critical section of o over the objects hs: on entry it
// takes every one of them for o with StealMany (one handshake per victim,
// all or nothing), and on exit it passes a preemption point (Preempt), so
// that thieves waiting for the objects get them only after fn's updates are
// complete. fn may read and write the objects' plain fields without further
// checks, as long as it passes no preemption point of o itself (see the
// package doc).
//
// Sections nest through the context With hands to fn: a With called with
// that context (or one derived from it) for the same owner is an inner
// section. It takes its own headers together with every enclosing section's
// (one StealMany over the union), so when the inner fn runs the outer
// objects are o's as well, and it passes no preemption point on exit: only
// the outermost section does. An inner section whose objects o already owns
// costs one load per header. An inner section that has to wait for a victim
// is a preemption point in the middle of the outer one, as any waiting call
// is (a thief may take, and see, the outer objects there); the objects are
// all o's again when the inner fn runs and after it returns.
//
// If the entry steal fails, fn does not run and With returns its error (ctx's
// end, ErrFrozen, ErrOwnerClosed; nothing is taken). Otherwise With returns
// fn's error.
func With(ctx context.Context, o *Owner, hs []*Header, fn func(ctx context.Context) error) error {
	key := sectionKey{o}
	outer, _ := ctx.Value(key).(*section)
	all := hs
	if outer != nil {
		all = make([]*Header, 0, len(outer.hs)+len(hs))
		all = append(all, outer.hs...)
		all = append(all, hs...)
	}
	if err := o.StealMany(ctx, all...); err != nil {
		return err
	}
	err := fn(context.WithValue(ctx, key, &section{hs: all}))
	if outer == nil {
		o.Preempt()
	}
	return err
}
