package ownership_test

import (
	"context"
	"sync"
	"testing"

	"github.com/handoff-go/handoff/ownership"
	"github.com/stretchr/testify/require"
)

// Many readers call StealShared on objects a parked writer owns, all at
// once. Each call must succeed and every object must end frozen: the steal
// installs the frozen word in its own final step, so a second reader that
// starts stealing between another reader's steal and its freeze cannot make
// that reader fail. (Before the fix, StealShared was Steal followed by
// Freeze, and the bench's E4 run failed with "being stolen by owner N".)
func TestStealSharedConcurrentReaders(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		const readers, objects, rounds = 4, 16, 20
		for range rounds {
			writer := newOwner(t)
			objs := make([]*obj, objects)
			for i := range objs {
				objs[i] = &obj{}
				require.NoError(t, writer.Adopt(&objs[i].Header))
				objs[i].n = i // the writer's last plain write before readers come
			}
			writer.Park() // a goroutine blocked elsewhere: thieves bump on its behalf
			var wg sync.WaitGroup
			errs := make(chan error, readers*objects)
			sums := make([]int, readers)
			for r := range readers {
				reader := newOwner(t)
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer reader.Park() // stay at a safepoint once done
					for k := range objects {
						o := objs[(k+r)%objects]
						if err := reader.StealShared(context.Background(), &o.Header); err != nil {
							errs <- err
							return
						}
						if !reader.CanRead(&o.Header) {
							errs <- errNotReadable
							return
						}
						sums[r] += o.n // plain read: ordered after the writer's write by the steal
						reader.Preempt()
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			for r := range readers {
				require.Equal(t, objects*(objects-1)/2, sums[r], "reader %d read every object's value", r)
			}
			for _, o := range objs {
				require.Equal(t, ownership.Frozen, o.Header.State().Kind)
			}
		}
	})
}

var errNotReadable = errorString("CanRead false right after StealShared")

type errorString string

func (e errorString) Error() string { return string(e) }
