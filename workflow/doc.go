// Package workflow is the domain core of banli (办理): proposals and their
// cases, the states a case moves through, the actions and roles, the
// transition table with its named guards, the working-day calendar and the
// deadline rules, and the domain errors.
//
// It imports neither a database driver nor net/http; storage and the web
// layer are adapters around it. The transition table is data, and everything
// that needs to know what may happen — buttons, API actions, the diagram in
// docs/, the exhaustive tests — derives from it.
package workflow
