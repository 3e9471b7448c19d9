// Search as you type in the add box: names and symbols from `/api/search/:query`, offered in a
// list under the input (the ARIA combobox pattern, so screen readers announce the choices and the
// keyboard moves through them). Choosing one hands its symbol to `onChoose`; Enter with nothing
// highlighted leaves the form to submit what was typed.
import { searchSymbols } from './api.js';

/** Wait after the last keystroke before asking: one request per pause in typing, not per key. */
const DEBOUNCE_MS = 250;
const MAX_SUGGESTIONS = 8;

export function attachSymbolSearch(input, list, { onChoose }) {
  let suggestions = [];
  let active = -1;
  let timer;
  let inFlight;
  let asked = '';

  const optionId = (index) => `${list.id}-option-${index}`;

  function close() {
    suggestions = [];
    active = -1;
    list.replaceChildren();
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function highlight(index) {
    active = index;
    for (const [position, option] of [...list.children].entries()) option.setAttribute('aria-selected', String(position === index));
    if (index >= 0) {
      input.setAttribute('aria-activedescendant', optionId(index));
      list.children[index].scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  function choose(index) {
    const chosen = suggestions[index];
    close();
    if (chosen) onChoose(chosen.symbol);
  }

  function show(results) {
    suggestions = results.slice(0, MAX_SUGGESTIONS);
    active = -1;
    list.replaceChildren(
      ...suggestions.map((result, index) => {
        const option = document.createElement('li');
        option.id = optionId(index);
        option.role = 'option';
        option.dataset.symbol = result.symbol;
        option.setAttribute('aria-selected', 'false');
        const symbol = document.createElement('span');
        symbol.className = 'suggestion-symbol';
        symbol.textContent = result.symbol;
        const name = document.createElement('span');
        name.className = 'suggestion-name';
        name.textContent = [result.name, result.exchange].filter(Boolean).join(' · ');
        option.append(symbol, name);
        // mousedown, not click: the input keeps its focus, and the list is still there to click.
        option.addEventListener('mousedown', (event) => {
          event.preventDefault();
          choose(index);
        });
        return option;
      }),
    );
    list.hidden = suggestions.length === 0;
    input.setAttribute('aria-expanded', String(suggestions.length > 0));
  }

  async function lookUp(query) {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    try {
      const { results } = await searchSymbols(query, { signal: controller.signal });
      // Only the answer to what the box still says; an older, slower answer is dropped.
      if (input.value.trim() === query) show(results);
    } catch (error) {
      // A failed search only means no suggestions: typing a symbol and Enter still works.
      if (error?.name !== 'AbortError') close();
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (query === '') {
      inFlight?.abort();
      asked = '';
      close();
      return;
    }
    timer = setTimeout(() => {
      if (query === asked && suggestions.length > 0) return;
      asked = query;
      lookUp(query);
    }, DEBOUNCE_MS);
  });

  input.addEventListener('keydown', (event) => {
    if (suggestions.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      // Round and round: past the last comes the first, above the first the last.
      const last = suggestions.length - 1;
      if (event.key === 'ArrowDown') highlight(active >= last ? 0 : active + 1);
      else highlight(active <= 0 ? last : active - 1);
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', close);

  return {
    /** After a symbol was added: the box is empty and nothing is offered. */
    reset() {
      clearTimeout(timer);
      inFlight?.abort();
      asked = '';
      close();
    },
  };
}
