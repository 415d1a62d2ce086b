import { commandExists, parseJavaMajorVersion } from './prerequisites.js';

describe('parseJavaMajorVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_292"\nJava(TM) SE Runtime Environment', 8],
    ['openjdk version "11.0.2-ea" 2019-01-15', 11],
    ['openjdk version "24-ea" 2025-03-18', 24],
  ])('reads %j as %i', (output, major) => {
    expect(parseJavaMajorVersion(output)).toBe(major);
  });

  it('is undefined for output that names no version', () => {
    expect(parseJavaMajorVersion('bash: java: command not found')).toBeUndefined();
  });
});

describe('commandExists', () => {
  it('finds sh and not a made-up command', () => {
    expect(commandExists('sh')).toBe(true);
    expect(commandExists('switchboard-no-such-command-7f3a')).toBe(false);
  });
});
