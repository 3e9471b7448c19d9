import { parseProcfile } from './procfile.js';

describe('parseProcfile', () => {
  it('reads name and command per line, skipping blanks and comments', () => {
    expect(parseProcfile('# processes\nweb: node web.js --port 1\n\nworker:node worker.js\n')).toEqual([
      { name: 'web', command: 'node web.js --port 1' },
      { name: 'worker', command: 'node worker.js' },
    ]);
  });

  it('names the line that is not "name: command"', () => {
    expect(() => parseProcfile('web: node web.js\nthis is wrong')).toThrow('Procfile line 2');
  });
});
