// Ours: the book's recommended.js is one commented-out line. This one runs after the books are
// on the page (a module's script comes last in <body>) and records how many it sees.
document.documentElement.dataset.books = String(document.querySelectorAll('.book').length);
