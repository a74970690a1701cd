-- 23 books to page through.
CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL
);
INSERT INTO books (title) VALUES
('Book 01'),
('Book 02'),
('Book 03'),
('Book 04'),
('Book 05'),
('Book 06'),
('Book 07'),
('Book 08'),
('Book 09'),
('Book 10'),
('Book 11'),
('Book 12'),
('Book 13'),
('Book 14'),
('Book 15'),
('Book 16'),
('Book 17'),
('Book 18'),
('Book 19'),
('Book 20'),
('Book 21'),
('Book 22'),
('Book 23');
