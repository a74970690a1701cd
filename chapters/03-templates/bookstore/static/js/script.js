// Ours: the book's script.js is empty. This line lets a test see that the layout's script ran.
document.documentElement.dataset.site = 'ready';
