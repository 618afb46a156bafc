-- +goose Up
-- The figures as reports quote them (issue 11 part 5, workflow/figures.go):
-- the first round's result rating beside the latest (初次办理满意率), and
-- 面商 from the contact the deputy reports on the feedback form as well as
-- from the unit's records (cases.met).
ALTER TABLE cases
    ADD COLUMN first_result_rating text CHECK (first_result_rating IN ('satisfied', 'basically_satisfied', 'dissatisfied'));
UPDATE cases c SET first_result_rating = f.result_rating FROM feedback f WHERE f.case_id = c.id AND f.round = 1;
UPDATE cases c SET met = true
    WHERE NOT met AND EXISTS (SELECT 1 FROM feedback f WHERE f.case_id = c.id AND f.contact_method IN ('meeting', 'visit'));

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION cases_feedback_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases SET latest_result_rating = NEW.result_rating, latest_work_rating = NEW.work_rating
        WHERE id = NEW.case_id
          AND (latest_result_rating, latest_work_rating) IS DISTINCT FROM (NEW.result_rating, NEW.work_rating)
          AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.case_id = NEW.case_id AND f.round > NEW.round);
    IF NEW.round = 1 THEN
        UPDATE cases SET first_result_rating = NEW.result_rating
            WHERE id = NEW.case_id AND first_result_rating IS DISTINCT FROM NEW.result_rating;
    END IF;
    IF NEW.contact_method IN ('meeting', 'visit') THEN
        UPDATE cases SET met = true WHERE id = NEW.case_id AND NOT met;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION cases_feedback_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases SET latest_result_rating = NEW.result_rating, latest_work_rating = NEW.work_rating
        WHERE id = NEW.case_id
          AND (latest_result_rating, latest_work_rating) IS DISTINCT FROM (NEW.result_rating, NEW.work_rating)
          AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.case_id = NEW.case_id AND f.round > NEW.round);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
UPDATE cases c SET met = EXISTS (SELECT 1 FROM communications m WHERE m.case_id = c.id AND m.method IN ('meeting', 'visit'));
ALTER TABLE cases DROP COLUMN first_result_rating;
