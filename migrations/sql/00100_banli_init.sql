-- +goose Up
-- banli's schema; filled in by the foundation work.
CREATE TABLE IF NOT EXISTS banli_placeholder (id int);

-- +goose Down
DROP TABLE IF EXISTS banli_placeholder;
