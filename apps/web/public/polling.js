// A task run now and then every `ms` while started: the panels that re-read a route on a timer.
export function polling(task, ms) {
  let timer;
  return {
    start() {
      clearInterval(timer);
      task();
      timer = setInterval(task, ms);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
