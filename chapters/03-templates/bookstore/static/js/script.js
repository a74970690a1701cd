// Marks the page as scripted, so a test can tell the site's own script ran.
document.documentElement.dataset.site = 'ready';
