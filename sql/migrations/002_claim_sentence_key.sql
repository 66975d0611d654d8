-- A content key of each claim's sentence (normalised text, hashed), so that views can tell reprints of
-- one sentence across articles without normalising article text at query time.
ALTER TABLE claims ADD COLUMN sentence_key VARCHAR;
