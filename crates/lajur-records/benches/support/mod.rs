pub mod big_office;
