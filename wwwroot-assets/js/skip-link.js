// The skip link ("本文へスキップ", MainLayout and AccountLayout) moves focus into main, not only the scroll position: Blazor's
// router takes in-page links over without focusing their target. Capture phase, so it runs before the router sees the click.
document.addEventListener('click', event => {
    const link = event.target instanceof Element ? event.target.closest('a.skip-link') : null;
    const main = document.getElementById('main');
    if (!link || !main) {
        return;
    }

    event.preventDefault();
    event.stopPropagation();
    main.focus();
}, true);
