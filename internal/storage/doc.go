// Package storage is banli's PostgreSQL adapter (pgx): one file per aggregate.
// Every exported method that changes data opens a transaction, defers its
// rollback, does its work through unexported helpers taking the transaction,
// and commits; a state change of a case is one such transaction.
package storage
