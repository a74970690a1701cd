-- Burt's books, one row per book (the book keeps them as MongoDB documents).
CREATE TABLE books (
    isbn TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    subtitle TEXT NOT NULL DEFAULT '',
    image TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    date_added BIGINT NOT NULL,
    date_released TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
