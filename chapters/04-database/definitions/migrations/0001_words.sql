-- The dictionary: one definition per word.
CREATE TABLE words (
    word TEXT PRIMARY KEY,
    definition TEXT NOT NULL
);
