// Package pgcluster runs a private PostgreSQL cluster from the server binaries
// installed on the machine (Debian's postgresql package, under
// /usr/lib/postgresql/<version>/bin). `banli dev` keeps one in a persistent
// directory across runs; the tests and `banli with-postgres` start temporary,
// ephemeral ones.
//
// The server is a child process of banli (postgres -D, not a pg_ctl daemon): it
// listens on 127.0.0.1 only, on a free port picked at each start, with
// password (SCRAM) authentication for the bootstrap superuser "banli". It is
// asked to shut down when banli exits, even when banli is killed.
//
// PostgreSQL refuses to run as root, and CI and many containers run as root:
// then the cluster runs as the system user "postgres", owns its directory, and
// that directory must be reachable by that user (see DevDir).
//
// A cluster directory holds:
//
//	pgdata/        the data directory (PGDATA)
//	password       the superuser's password, random, made at initdb (mode 0600)
//	postgres.log   the server's log
//
// The password is never logged.
package pgcluster
