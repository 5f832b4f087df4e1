/**
 * The names MQTT.js 5 offers, read from its type declarations: every option of
 * `IClientOptions` (with `ISecureClientOptions`), every event of `MqttClientEventCallbacks`,
 * every public method and property of `MqttClient`, and the module's own exports. The migration
 * guide must map each one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { repositoryRoot } from './workspace.js';

const build = join(repositoryRoot, 'bench', 'node_modules', 'mqtt', 'build');

export interface MqttjsSurface {
  readonly options: string[];
  readonly events: string[];
  readonly members: string[];
  readonly exports: string[];
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

function memberName(member: ts.ClassElement | ts.TypeElement): string | undefined {
  const name = member.name;
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
}

function isPublic(member: ts.ClassElement): boolean {
  const flags = ts.getCombinedModifierFlags(member as ts.Declaration);
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
}

/** The names, each list sorted and without duplicates (overloads, getters). */
export function mqttjsSurface(): MqttjsSurface {
  const client = parse(join(build, 'lib', 'client.d.ts'));
  const options = new Set<string>();
  const events = new Set<string>();
  const members = new Set<string>();
  for (const statement of client.statements) {
    if (ts.isInterfaceDeclaration(statement)) {
      const target =
        statement.name.text === 'IClientOptions' || statement.name.text === 'ISecureClientOptions'
          ? options
          : statement.name.text === 'MqttClientEventCallbacks'
            ? events
            : undefined;
      for (const member of statement.members) {
        const name = memberName(member);
        if (target && name) target.add(name);
      }
    }
    if (ts.isClassDeclaration(statement) && statement.name?.text === 'MqttClient') {
      for (const member of statement.members) {
        const name = memberName(member);
        const isStatic =
          ts.getCombinedModifierFlags(member as ts.Declaration) & ts.ModifierFlags.Static;
        if (
          name &&
          !name.startsWith('_') &&
          isPublic(member) &&
          !isStatic &&
          !ts.isConstructorDeclaration(member)
        ) {
          members.add(name);
        }
      }
    }
  }
  const exports = new Set<string>();
  for (const statement of parse(join(build, 'mqtt.d.ts')).statements) {
    if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements) {
        if (!element.isTypeOnly && !statement.isTypeOnly) exports.add(element.name.text);
      }
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) exports.add(declaration.name.text);
      }
    }
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return {
    options: sorted(options),
    events: sorted(events),
    members: sorted(members),
    exports: sorted(exports),
  };
}
