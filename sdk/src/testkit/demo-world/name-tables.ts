/**
 * Built-in name tables. Names are common, so the people look real, but every person, phone and email in the demo
 * world is synthetic: phones use the fictional 555 exchange, emails use example domains or synthetic local parts.
 * Nicknames are the ones the matcher must know (Robert ↔ Bob), so the noise is realistic.
 */
export interface FirstName {
  name: string;
  gender: 'female' | 'male';
  nicknames: readonly string[];
}

const female: [string, string[]][] = [
  ['Elizabeth', ['Liz', 'Beth', 'Lizzie', 'Betsy']], ['Jennifer', ['Jen', 'Jenny']], ['Katherine', ['Kate', 'Katie', 'Kathy']],
  ['Margaret', ['Maggie', 'Peggy', 'Meg']], ['Patricia', ['Pat', 'Patty', 'Trish']], ['Deborah', ['Deb', 'Debbie']],
  ['Susan', ['Sue', 'Susie']], ['Jessica', ['Jess', 'Jessie']], ['Rebecca', ['Becky', 'Becca']], ['Alexandra', ['Alex', 'Lexi']],
  ['Victoria', ['Vicky', 'Tori']], ['Christina', ['Chris', 'Tina']], ['Samantha', ['Sam', 'Sammy']], ['Abigail', ['Abby']],
  ['Kimberly', ['Kim']], ['Stephanie', ['Steph']], ['Jacqueline', ['Jackie']], ['Theresa', ['Terry', 'Tess']],
  ['Madison', ['Maddie']], ['Olivia', ['Liv']], ['Emma', []], ['Ava', []], ['Sophia', ['Sophie']], ['Isabella', ['Bella', 'Izzy']],
  ['Mia', []], ['Charlotte', ['Charlie', 'Lottie']], ['Amelia', ['Millie']], ['Harper', []], ['Evelyn', ['Evie']],
  ['Emily', ['Em']], ['Hannah', []], ['Grace', []], ['Chloe', []], ['Natalie', ['Nat']], ['Zoe', []], ['Lena', []],
  ['Maria', []], ['Ana', []], ['Lucía', ['Lucy']], ['Guadalupe', ['Lupe']], ['Rosa', []], ['Mei', []], ['Priya', []],
  ['Aaliyah', []], ['Nia', []], ['Fatima', []], ['Hana', []], ['Linh', []], ['Amara', []], ['Renée', []], ['Siobhan', []],
  ['Dorothy', ['Dot', 'Dottie']], ['Barbara', ['Barb']], ['Linda', []], ['Nancy', []], ['Karen', []], ['Sandra', ['Sandy']],
  ['Donna', []], ['Carol', []], ['Michelle', ['Shelly']], ['Amanda', ['Mandy']], ['Melissa', ['Missy', 'Mel']],
];
const male: [string, string[]][] = [
  ['Robert', ['Bob', 'Rob', 'Bobby']], ['William', ['Bill', 'Will', 'Billy', 'Liam']], ['Richard', ['Rick', 'Dick', 'Rich']],
  ['James', ['Jim', 'Jimmy', 'Jamie']], ['John', ['Johnny', 'Jack']], ['Michael', ['Mike', 'Mikey']], ['Thomas', ['Tom', 'Tommy']],
  ['Christopher', ['Chris', 'Topher']], ['Daniel', ['Dan', 'Danny']], ['Matthew', ['Matt']], ['Anthony', ['Tony']],
  ['Joseph', ['Joe', 'Joey']], ['Charles', ['Charlie', 'Chuck']], ['Edward', ['Ed', 'Eddie', 'Ted']], ['Benjamin', ['Ben', 'Benny']],
  ['Alexander', ['Alex', 'Xander']], ['Nicholas', ['Nick']], ['Jonathan', ['Jon']], ['Stephen', ['Steve']], ['Steven', ['Steve']],
  ['Timothy', ['Tim']], ['Gregory', ['Greg']], ['Samuel', ['Sam']], ['Andrew', ['Andy', 'Drew']], ['Joshua', ['Josh']],
  ['Zachary', ['Zach']], ['Nathaniel', ['Nate', 'Nat']], ['Patrick', ['Pat']], ['Lawrence', ['Larry']], ['Frederick', ['Fred']],
  ['Noah', []], ['Ethan', []], ['Lucas', ['Luke']], ['Mason', []], ['Logan', []], ['Elijah', ['Eli']], ['Owen', []],
  ['Carlos', []], ['José', ['Pepe']], ['Luis', []], ['Miguel', []], ['Wei', []], ['Arjun', []], ['Omar', []], ['Kwame', []],
  ['Minh', []], ['Hiroshi', []], ['Seán', []], ['Darnell', []], ['Malik', []], ['Tyrone', []], ['Kevin', []], ['Brian', []],
  ['Gary', []], ['Eric', []], ['Jason', []], ['Ryan', []], ['Aaron', []], ['Dennis', []], ['Walter', ['Walt']], ['Raymond', ['Ray']],
];

export const firstNames: readonly FirstName[] = [
  ...female.map(([name, nicknames]) => ({ name, gender: 'female' as const, nicknames })),
  ...male.map(([name, nicknames]) => ({ name, gender: 'male' as const, nicknames })),
];
export const femaleFirstNames = firstNames.filter((n) => n.gender === 'female');
export const maleFirstNames = firstNames.filter((n) => n.gender === 'male');

export const lastNames: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson',
  'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright',
  'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell',
  'Mitchell', 'Carter', 'Roberts', 'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins',
  'Reyes', 'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper', 'Peterson',
  'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson', 'Watson', 'Brooks', 'Chavez', 'Wood',
  'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes', 'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers',
  'Long', 'Ross', 'Foster', 'Jimenez', "O'Brien", "O'Connor", 'McAllister', 'MacDonald', 'Peña', 'Muñoz', 'Núñez',
  'Okafor', 'Adeyemi', 'Mensah', 'Kowalski', 'Nowak', 'Schmidt', 'Müller', 'Rossi', 'Ferrari', 'Haddad', 'Khoury',
  'Tanaka', 'Sato', 'Chen', 'Wang', 'Li', 'Zhang', 'Liu', 'Tran', 'Pham', 'Le', 'Singh', 'Shah', 'Gupta', 'Das',
  'Van der Berg', 'De la Cruz', 'St. John', 'Abernathy', 'Lindqvist', 'Novak', 'Horvath', 'Ivanova', 'Petrov', 'Byrne',
];

export const streetNames: readonly string[] = [
  'Alder', 'Birch', 'Cedar', 'Dogwood', 'Elm', 'Fir', 'Hawthorne', 'Juniper', 'Laurel', 'Maple', 'Oak', 'Pine', 'Spruce',
  'Willow', 'Madrona', 'Sequoia', 'Chestnut', 'Magnolia', 'Sycamore', 'Aspen', 'Hemlock', 'Poplar', 'Linden', 'Cypress',
];
export const streetSuffixes: readonly string[] = ['St', 'Ave', 'Way', 'Ln', 'Dr', 'Ct', 'Blvd', 'Pl', 'Rd', 'Ter'];

/** Free-mail domains the matcher must canonicalise (gmail dots and plus tags), plus reserved example domains. */
export const emailDomains: readonly (readonly [string, number])[] = [
  ['gmail.com', 45], ['yahoo.com', 12], ['outlook.com', 10], ['icloud.com', 10], ['hotmail.com', 6], ['aol.com', 3],
  ['example.com', 8], ['example.net', 6],
];
